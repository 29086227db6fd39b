using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.EntityFrameworkCore.Internal;

/// <summary>
/// Gives the singleton stores a fresh <typeparamref name="TContext"/> per operation: from the host's
/// <see cref="IDbContextFactory{TContext}"/> when registered, otherwise from a new service scope (the stores never
/// capture a scoped context).
/// </summary>
internal sealed class DbContextSource<TContext>(IServiceScopeFactory scopes)
    where TContext : DbContext
{
    public async ValueTask<Lease> CreateAsync(CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var factory = scope.ServiceProvider.GetService<IDbContextFactory<TContext>>();
            if (factory is not null)
            {
                var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                return new Lease(context, scope, ownsContext: true);
            }

            var scoped = scope.ServiceProvider.GetService<TContext>()
                ?? throw new InvalidOperationException(
                    $"The EF Core store cannot get a {typeof(TContext).Name}: register it with services.AddDbContext<{typeof(TContext).Name}>(...) or services.AddDbContextFactory<{typeof(TContext).Name}>(...).");
            return new Lease(scoped, scope, ownsContext: false);
        }
        catch
        {
            await scope.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal sealed class Lease(TContext context, AsyncServiceScope scope, bool ownsContext) : IAsyncDisposable
    {
        public TContext Context { get; } = context;

        public async ValueTask DisposeAsync()
        {
            if (ownsContext)
            {
                await Context.DisposeAsync().ConfigureAwait(false);
            }

            await scope.DisposeAsync().ConfigureAwait(false);
        }
    }
}
