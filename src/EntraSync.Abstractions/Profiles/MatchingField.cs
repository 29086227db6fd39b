namespace EntraSync;

/// <summary>The directory fields a unit or user type can be matched from.</summary>
public enum MatchingField
{
    /// <summary>Not matched.</summary>
    None,

    /// <summary>Graph <c>jobTitle</c>.</summary>
    JobTitle,

    /// <summary>Graph <c>companyName</c>.</summary>
    CompanyName,

    /// <summary>Graph <c>department</c>.</summary>
    Department,

    /// <summary>Graph <c>streetAddress</c>.</summary>
    StreetAddress,

    /// <summary>Graph <c>state</c>.</summary>
    State,

    /// <summary>Graph <c>country</c>.</summary>
    Country,

    /// <summary>Graph <c>officeLocation</c>.</summary>
    OfficeLocation,

    /// <summary>Graph <c>city</c>.</summary>
    City,

    /// <summary>Graph <c>postalCode</c>.</summary>
    PostalCode,
}
