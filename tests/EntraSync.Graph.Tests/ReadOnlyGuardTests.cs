using EntraSync.Graph.Internal;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;

namespace EntraSync.Graph.Tests;

/// <summary>
/// The read-only rule through the real Graph client pipeline EntraSync builds: only GET, plus the three subscription
/// writes, ever reach the network.
/// </summary>
public sealed class ReadOnlyGuardTests
{
    [Theory]
    [InlineData("PATCH", "users/00000000-0000-0000-0000-000000000001")]
    [InlineData("POST", "users")]
    [InlineData("DELETE", "users/00000000-0000-0000-0000-000000000001")]
    [InlineData("PUT", "users/00000000-0000-0000-0000-000000000001/photo/$value")]
    [InlineData("POST", "subscriptions/abc")]
    [InlineData("PATCH", "subscriptions")]
    [InlineData("DELETE", "subscriptions")]
    [InlineData("DELETE", "subscriptions/abc/extra")]
    [InlineData("POST", "groups/g1/members/$ref")]
    [InlineData("HEAD", "users")]
    public async Task A_write_other_than_the_subscription_requests_is_refused_before_it_reaches_the_network(string method, string path)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        var client = Client(emulator);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => SendAsync(client, emulator, method, path));

        Assert.IsType<GraphLinkRefusedException>(error);
        Assert.Contains("only reads from Microsoft Graph", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.Requests, r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("POST", "subscriptions")]
    [InlineData("PATCH", "subscriptions/7f105c7d-2dc5-4530-97cd-4e7ae6534c07")]
    [InlineData("DELETE", "subscriptions/7f105c7d-2dc5-4530-97cd-4e7ae6534c07")]
    [InlineData("GET", "users")]
    public async Task Gets_and_the_subscription_requests_reach_Graph(string method, string path)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        var client = Client(emulator);

        try
        {
            await SendAsync(client, emulator, method, path);
        }
        catch (Exception ex) when (ex is not GraphLinkRefusedException)
        {
            // Whatever Graph answers: the point is that the request was sent.
        }

        Assert.Contains(emulator.Requests, r => r.Method == method && r.PathAndQuery == "/v1.0/" + path);
    }

    private static GraphServiceClient Client(GraphEmulator emulator)
    {
        var provider = new GraphClientProvider(Options.Create(new GraphSourceOptions { MaxRetries = 0 }), TimeProvider.System, NullLogger.Instance);
        return provider.GetClient(Emulator.Profile(emulator));
    }

    private static Task SendAsync(GraphServiceClient client, GraphEmulator emulator, string method, string path)
    {
        var info = new RequestInformation
        {
            HttpMethod = Enum.Parse<Method>(method),
            URI = new Uri(emulator.GraphBaseUrl + "/" + path),
        };
        if (method is "POST" or "PATCH" or "PUT")
        {
            info.SetStreamContent(new MemoryStream("{}"u8.ToArray()), "application/json");
        }

        return client.RequestAdapter.SendNoContentAsync(info);
    }
}
