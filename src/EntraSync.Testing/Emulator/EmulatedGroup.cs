namespace EntraSync.Testing.Emulator;

/// <summary>A group in an <see cref="EmulatedTenant"/>. Members (users or groups) are managed on the tenant.</summary>
public sealed class EmulatedGroup
{
    private List<string>? _groupTypes;

    /// <summary>Gets or sets the directory object id.</summary>
    /// <value>The default is a new random GUID.</value>
    public string Id { get; set; } = Guid.NewGuid().ToString();

    /// <summary>Gets or sets <c>displayName</c>.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Gets or sets <c>description</c>.</summary>
    public string? Description { get; set; }

    /// <summary>Gets or sets <c>mail</c>.</summary>
    public string? Mail { get; set; }

    /// <summary>Gets or sets <c>mailNickname</c>.</summary>
    public string? MailNickname { get; set; }

    /// <summary>Gets or sets <c>mailEnabled</c>.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool MailEnabled { get; set; }

    /// <summary>Gets or sets <c>securityEnabled</c>.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool SecurityEnabled { get; set; } = true;

    /// <summary>Gets <c>groupTypes</c>, e.g. <c>Unified</c>.</summary>
    public IList<string> GroupTypes => _groupTypes ??= [];

    internal List<string>? GroupTypesOrNull => _groupTypes;

    internal EmulatedGroup Clone()
    {
        var copy = (EmulatedGroup)MemberwiseClone();
        copy._groupTypes = _groupTypes is null ? null : [.. _groupTypes];
        return copy;
    }
}
