namespace Signatures.Xink.Data;

/// <summary>Preferences > Fields: one employee field, where it comes from, and its place in the Employees view.</summary>
public sealed class FieldSetting
{
    public int Id { get; set; }

    public string AccountId { get; set; } = "";

    public int Position { get; set; }

    /// <summary>The field's name in the product, e.g. "Job Title".</summary>
    public string Name { get; set; } = "";

    /// <summary>The Graph property it is read from, e.g. <c>jobTitle</c> or <c>onPremisesExtensionAttributes/extensionAttribute1</c>.</summary>
    public string Source { get; set; } = "";
}
