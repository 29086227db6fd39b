using Microsoft.Graph.Models;

namespace EntraSync.ChangeNotifications;

/// <summary>Reads a tenant's subscription health: the store's record and Graph's (GET only).</summary>
public sealed partial class ChangeSubscriptionManager
{
    /// <summary>
    /// Reads a tenant's subscription as the store keeps it and as Microsoft Graph has it, with GET requests only:
    /// <c>GET /subscriptions/{id}</c> for the stored one, or <c>GET /subscriptions</c> (this app's subscriptions in the
    /// tenant) to find one on <c>/users</c> when the store keeps none. Changes nothing.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The status; a Graph failure is reported in <see cref="ChangeSubscriptionStatus.GraphError"/>, not thrown.</returns>
    public async Task<ChangeSubscriptionStatus> GetStatusAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var stored = await _store.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var profile = await _profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var options = _options.CurrentValue;
        Subscription? onGraph = null;
        bool? found = null;
        string? error = null;
        if (profile is null)
        {
            error = $"No profile is configured for tenant '{tenantId}', so Microsoft Graph was not asked.";
        }
        else
        {
            try
            {
                var client = _clients.GetClient(profile);
                if (stored is not null)
                {
                    try
                    {
                        onGraph = await client.Subscriptions[stored.SubscriptionId].GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (IsGone(ex))
                    {
                        onGraph = null;
                    }
                }
                else
                {
                    var listed = await client.Subscriptions.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    onGraph = listed?.Value?
                        .Where(s => string.Equals(s.Resource?.Trim('/'), "users", StringComparison.OrdinalIgnoreCase))
                        .OrderByDescending(s => s.ExpirationDateTime)
                        .FirstOrDefault();
                }

                found = onGraph is not null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error = ex is Microsoft.Graph.Models.ODataErrors.ODataError odata
                    ? $"Microsoft Graph answered {odata.ResponseStatusCode} {odata.Error?.Code}: {odata.Error?.Message}"
                    : ex.Message;
            }
        }

        var now = _time.GetUtcNow();
        var expires = onGraph?.ExpirationDateTime ?? stored?.ExpiresAt;
        return new ChangeSubscriptionStatus
        {
            TenantId = tenantId,
            CheckedAt = now,
            Covered = options.AppliesTo(profile),
            Stored = stored,
            SubscriptionId = stored?.SubscriptionId ?? onGraph?.Id,
            OnGraph = found,
            ExpiresAt = expires,
            NotificationUrl = onGraph?.NotificationUrl ?? stored?.NotificationUrl,
            GraphError = error,
            RenewalDue = expires is { } e && e > now && e - now <= options.RenewBefore,
        };
    }
}
