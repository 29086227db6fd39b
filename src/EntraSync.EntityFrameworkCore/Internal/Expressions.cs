using System.Linq.Expressions;
using System.Reflection;

namespace EntraSync.EntityFrameworkCore.Internal;

/// <summary>Composes the host's column selectors into predicates EF Core translates.</summary>
internal static class Expressions
{
    /// <summary>Builds <c>e =&gt; test(selector(e))</c>.</summary>
    public static Expression<Func<T, bool>> Compose<T, TValue>(Expression<Func<T, TValue>> selector, Expression<Func<TValue, bool>> test)
    {
        var body = new Replacer(test.Parameters[0], selector.Body).Visit(test.Body);
        return Expression.Lambda<Func<T, bool>>(body, selector.Parameters);
    }

    public static Expression<Func<T, bool>> And<T>(Expression<Func<T, bool>> left, Expression<Func<T, bool>> right) =>
        Expression.Lambda<Func<T, bool>>(Expression.AndAlso(left.Body, new Replacer(right.Parameters[0], left.Parameters[0]).Visit(right.Body)), left.Parameters);

    public static Expression<Func<T, bool>> Or<T>(Expression<Func<T, bool>> left, Expression<Func<T, bool>> right) =>
        Expression.Lambda<Func<T, bool>>(Expression.OrElse(left.Body, new Replacer(right.Parameters[0], left.Parameters[0]).Visit(right.Body)), left.Parameters);

    /// <summary>Gets the writable property a selector reads, or <see langword="null"/> when it is not a plain property access.</summary>
    public static PropertyInfo? Property(LambdaExpression selector)
    {
        var body = selector.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
        {
            body = convert.Operand;
        }

        return body is MemberExpression { Member: PropertyInfo property } member && member.Expression == selector.Parameters[0] && property.CanWrite
            ? property
            : null;
    }

    /// <summary>Replaces a parameter in a lambda body with another expression.</summary>
    public static Expression Replace(LambdaExpression lambda, Expression with) => new Replacer(lambda.Parameters[0], with).Visit(lambda.Body);

    private sealed class Replacer(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
