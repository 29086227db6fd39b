namespace EntraSync;

/// <summary>The names of the default fields (the Xink-style set), in their default order.</summary>
public static class FieldNames
{
    /// <summary>First name (Graph <c>givenName</c>).</summary>
    public const string FirstName = "First Name";

    /// <summary>Last name (Graph <c>surname</c>).</summary>
    public const string LastName = "Last Name";

    /// <summary>Display name (Graph <c>displayName</c>).</summary>
    public const string DisplayName = "Display Name";

    /// <summary>The resolved email.</summary>
    public const string Email = "Email";

    /// <summary>Phone (Graph <c>businessPhones[0]</c>).</summary>
    public const string Phone = "Phone";

    /// <summary>Job title (Graph <c>jobTitle</c>).</summary>
    public const string JobTitle = "Job Title";

    /// <summary>Department (Graph <c>department</c>).</summary>
    public const string Department = "Department";

    /// <summary>Mobile (Graph <c>mobilePhone</c>).</summary>
    public const string Mobile = "Mobile";

    /// <summary>Fax (Graph <c>faxNumber</c>).</summary>
    public const string Fax = "Fax";

    /// <summary>Company (Graph <c>companyName</c>).</summary>
    public const string Company = "Company";

    /// <summary>Street (Graph <c>streetAddress</c>).</summary>
    public const string Street = "Street";

    /// <summary>City (Graph <c>city</c>).</summary>
    public const string City = "City";

    /// <summary>State (Graph <c>state</c>).</summary>
    public const string State = "State";

    /// <summary>Zip (Graph <c>postalCode</c>).</summary>
    public const string Zip = "Zip";

    /// <summary>Country (Graph <c>country</c>).</summary>
    public const string Country = "Country";

    /// <summary>Photo (the profile photo's ETag; bytes travel separately).</summary>
    public const string Photo = "Photo";
}
