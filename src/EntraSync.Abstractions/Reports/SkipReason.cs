namespace EntraSync;

/// <summary>Why a user was skipped.</summary>
public enum SkipReason
{
    /// <summary>No email could be resolved.</summary>
    MissingEmail,

    /// <summary>A mandatory field other than email is empty.</summary>
    MissingMandatoryField,

    /// <summary>Another directory user in the tenant resolves to the same email.</summary>
    DuplicateEmail,

    /// <summary>The record could not be read or mapped.</summary>
    InvalidRecord,
}
