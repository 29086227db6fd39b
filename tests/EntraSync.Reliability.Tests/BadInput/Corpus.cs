using System.Text;
using System.Text.Json;
using EntraSync.Reliability.Tests.Support;

namespace EntraSync.Reliability.Tests.BadInput;

/// <summary>Raw Graph user records, well-formed and hostile, as JSON text.</summary>
public static class Corpus
{
    public static string Good(int i, string jobTitle = "Consultant") => JsonSerializer.Serialize(new
    {
        id = People.Id(i),
        displayName = $"Given{i} Surname{i}",
        givenName = $"Given{i}",
        surname = $"Surname{i}",
        mail = $"person{i}@contoso.example",
        userPrincipalName = $"person{i}@contoso.example",
        jobTitle,
        department = "Support",
        businessPhones = new[] { "+45 1234 5678" },
    });

    /// <summary>A record built from raw JSON members (written verbatim, so escapes such as a lone \ud800 survive).</summary>
    public static string Record(string id, params string[] members)
    {
        var text = new StringBuilder("{");
        if (id.Length > 0)
        {
            text.Append($"\"id\":\"{id}\",");
        }

        text.Append(string.Join(",", members));
        return text.Append('}').ToString();
    }

    public static string Names(string given, string surname, string mail) =>
        $"\"givenName\":{given},\"surname\":{surname},\"displayName\":{given},\"mail\":{mail}";

    public static string Page(IEnumerable<string> records, bool more) =>
        "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users\",\"value\":[" + string.Join(",", records) + "]"
        + (more ? ",\"@odata.nextLink\":\"NEXT\"" : "") + "}";

    public static string Nested(int depth)
    {
        var text = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            text.Append("{\"level").Append(i).Append("\":");
        }

        text.Append("\"bottom\"");
        text.Append('}', depth);
        return text.ToString();
    }
}
