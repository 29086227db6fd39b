using System.Net.Http.Headers;
using System.Text.Json;
using EntraSync.Testing.Emulator;

namespace EntraSync.Testing.Tests;

internal static class TestSupport
{
    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> GetJsonAsync(this HttpClient client, string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, body, response);
    }

    public static async Task<(int Status, JsonElement Body)> SendJsonAsync(this HttpClient client, HttpMethod method, string url, string? json)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, MediaTypeHeaderValue.Parse("application/json"));
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static EmulatedUser User(string given, string surname, string? domain = "contoso.com", Action<EmulatedUser>? configure = null)
    {
        var local = (given + "." + surname).ToLowerInvariant();
        var user = new EmulatedUser
        {
            GivenName = given,
            Surname = surname,
            DisplayName = given + " " + surname,
            UserPrincipalName = local + "@" + domain,
            Mail = local + "@" + domain,
            AccountEnabled = true,
            UserType = "Member",
        };
        configure?.Invoke(user);
        return user;
    }

    public static readonly (string, string) Eventual = ("ConsistencyLevel", "eventual");
}
