namespace EntraSync.Sync.Planning;

/// <summary>The stored employees one page needs, by directory id and by (trimmed) email.</summary>
internal sealed class StoredEmployeeIndex
{
    /// <summary>An index of no employees.</summary>
    public static readonly StoredEmployeeIndex Empty = new([]);

    /// <summary>Initializes a new instance of the <see cref="StoredEmployeeIndex"/> class.</summary>
    /// <param name="stored">What the store returned for the page's ids and emails.</param>
    public StoredEmployeeIndex(IReadOnlyList<StoredEmployee> stored)
    {
        foreach (var employee in stored)
        {
            if (employee.DirectoryId is not null)
            {
                ById[employee.DirectoryId] = employee;
            }

            if (!string.IsNullOrWhiteSpace(employee.Email))
            {
                var key = employee.Email.Trim();
                if (!ByEmail.TryGetValue(key, out var list))
                {
                    ByEmail[key] = list = [];
                }

                list.Add(employee);
            }
        }
    }

    /// <summary>Gets the linked employees by directory id.</summary>
    public Dictionary<string, StoredEmployee> ById { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the employees (linked or local) by trimmed email.</summary>
    public Dictionary<string, List<StoredEmployee>> ByEmail { get; } = new(StringComparer.OrdinalIgnoreCase);
}
