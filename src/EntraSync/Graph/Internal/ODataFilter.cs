using System.Globalization;
using System.Text;

namespace EntraSync.Graph.Internal;

/// <summary>
/// A tenant's OData <c>$filter</c> on users, parsed so the source can (1) tell whether Graph needs it as an advanced
/// query (<c>ConsistencyLevel: eventual</c> + <c>$count=true</c>), (2) know which properties it reads, and (3) evaluate
/// it on delta results, which Graph cannot filter. The client-side subset follows Graph's semantics for directory
/// objects: <c>eq ne gt ge lt le in not and or</c>, <c>startsWith</c>, <c>endsWith</c>, <c>any</c>/<c>all</c> on
/// multi-valued properties, <c>null</c>, Booleans, numbers, GUIDs and date-times; string comparison ignores case.
/// Graph stays the authority on the server-side query: a filter this parser does not understand is still sent as written.
/// </summary>
internal sealed class ODataFilter
{
    // Properties Graph filters only through the advanced-query index (aad-advanced-queries.md). Sending the advanced
    // parameters when not strictly needed is harmless (the result is the same, read from an eventually consistent index).
    private static readonly HashSet<string> AdvancedOnlyProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "companyName", "officeLocation", "onPremisesExtensionAttributes", "employeeOrgData", "employeeHireDate",
        "employeeLeaveDateTime", "showInAddressList", "onPremisesSamAccountName", "assignedLicenses",
    };

    private readonly Node _root;

    private ODataFilter(string text, Node root, HashSet<string> properties, string? advancedReason, string? clientSideProblem)
    {
        Text = text;
        _root = root;
        Properties = properties;
        AdvancedReason = advancedReason;
        ClientSideProblem = clientSideProblem;
    }

    public string Text { get; }

    /// <summary>Gets the top-level user properties the filter reads.</summary>
    public IReadOnlySet<string> Properties { get; }

    /// <summary>Gets why Graph needs the advanced-query parameters for this filter, or <see langword="null"/>.</summary>
    public string? AdvancedReason { get; }

    public bool NeedsAdvancedQuery => AdvancedReason is not null;

    /// <summary>Gets why the filter cannot be evaluated on delta results, or <see langword="null"/> when it can.</summary>
    public string? ClientSideProblem { get; }

    /// <summary>Parses a filter.</summary>
    /// <exception cref="FormatException">The text is not a filter this parser understands; the message names the place.</exception>
    public static ODataFilter Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var parser = new Parser(Tokenize(text), text);
        var root = parser.ParseOr();
        if (!parser.AtEnd)
        {
            throw new FormatException($"unexpected '{parser.Current.Text}' at position {parser.Current.Position + 1}");
        }

        return new ODataFilter(text, root, parser.Properties, parser.AdvancedReason, parser.ClientSideProblem);
    }

    /// <summary>Tells whether a filter text needs the advanced-query parameters, also when this parser cannot read it.</summary>
    public static string? GetAdvancedReason(string text)
    {
        try
        {
            return Parse(text).AdvancedReason;
        }
        catch (FormatException)
        {
            var lower = " " + text.ToLowerInvariant() + " ";
            return lower.Contains(" ne ", StringComparison.Ordinal) ? "the 'ne' operator"
                : lower.Contains("not(", StringComparison.Ordinal) || lower.Contains(" not ", StringComparison.Ordinal) ? "the 'not' operator"
                : lower.Contains("endswith(", StringComparison.Ordinal) ? "the endsWith function"
                : lower.Contains("$count", StringComparison.Ordinal) ? "a $count segment"
                : null;
        }
    }

    /// <summary>Splits a filter into its top-level <c>and</c>/<c>or</c> clauses (for error messages).</summary>
    public static IReadOnlyList<string> SplitClauses(string text)
    {
        var clauses = new List<string>();
        var depth = 0;
        var inString = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                inString = !inString;
            }
            else if (!inString && c == '(')
            {
                depth++;
            }
            else if (!inString && c == ')')
            {
                depth--;
            }
            else if (!inString && depth == 0 && c == ' ')
            {
                foreach (var word in (ReadOnlySpan<string>)[" and ", " or "])
                {
                    if (string.Compare(text, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0)
                    {
                        clauses.Add(text[start..i].Trim());
                        start = i + word.Length;
                        i = start - 1;
                        break;
                    }
                }
            }
        }

        clauses.Add(text[start..].Trim());
        clauses.RemoveAll(c => c.Length == 0);
        return clauses;
    }

    /// <summary>Evaluates the filter on a user as Graph would.</summary>
    public bool Matches(DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return _root.Evaluate(new Scope(user, null, null)) is true;
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or ',' or '/' or ':')
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), i));
                i++;
            }
            else if (c == '\'')
            {
                var value = new StringBuilder();
                var start = i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException($"the text starting at position {start + 1} has no closing quote");
                    }

                    if (text[i] == '\'')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '\'')
                        {
                            value.Append('\'');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(text[i++]);
                }

                tokens.Add(new Token(TokenKind.String, value.ToString(), start));
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '$' or '-' or '+' or '.')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '$' or '-' or '+' or '.'
                    || (text[i] == ':' && char.IsDigit(text[start]))))
                {
                    i++;
                }

                var word = text[start..i];
                var isLiteral = char.IsDigit(word[0]) || word[0] is '-' or '+' || Guid.TryParse(word, out _);
                tokens.Add(new Token(isLiteral ? TokenKind.Literal : TokenKind.Word, word, start));
            }
            else
            {
                throw new FormatException($"unexpected character '{c}' at position {i + 1}");
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Word,
        String,
        Literal,
        Symbol,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Position)
    {
        public bool Is(string text) => Kind is TokenKind.Word or TokenKind.Symbol && string.Equals(Text, text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The user being evaluated, and inside a lambda the variable and its current item.</summary>
    private readonly record struct Scope(DirectoryUser User, string? Variable, string? Item);

    private abstract class Node
    {
        public abstract object? Evaluate(Scope scope);
    }

    private sealed class Constant(object? value) : Node
    {
        public object? Value { get; } = value;

        public override object? Evaluate(Scope scope) => Value;
    }

    /// <summary>A property path (<c>mail</c>, <c>onPremisesExtensionAttributes/extensionAttribute1</c>) or a lambda variable.</summary>
    private sealed class PropertyPath(string path, string? variable) : Node
    {
        public override object? Evaluate(Scope scope)
        {
            if (variable is not null && string.Equals(variable, scope.Variable, StringComparison.Ordinal))
            {
                // x or x/skuId inside a lambda: the item stands for the object (see UserPropertyKinds.GetListKey).
                return scope.Item;
            }

            if (string.Equals(path, "id", StringComparison.OrdinalIgnoreCase))
            {
                return scope.User.Id;
            }

            if (!scope.User.TryGetValue(path, out var value) || value.Kind == DirectoryValueKind.Null)
            {
                return null;
            }

            return value.Kind switch
            {
                DirectoryValueKind.Boolean => value.AsBoolean(),
                DirectoryValueKind.Number => value.AsNumber(),
                DirectoryValueKind.List => value.AsList(),
                _ => value.AsString(),
            };
        }
    }

    private sealed class Not(Node operand) : Node
    {
        public override object? Evaluate(Scope scope) => operand.Evaluate(scope) is not true;
    }

    private sealed class Logical(Node left, Node right, bool isAnd) : Node
    {
        public override object? Evaluate(Scope scope) => isAnd
            ? left.Evaluate(scope) is true && right.Evaluate(scope) is true
            : left.Evaluate(scope) is true || right.Evaluate(scope) is true;
    }

    private sealed class Comparison(Node left, string op, Node right) : Node
    {
        public override object? Evaluate(Scope scope)
        {
            var l = left.Evaluate(scope);
            var r = right.Evaluate(scope);
            if (l is IReadOnlyList<string> list)
            {
                // Graph allows collections only inside any/all; compare item by item to stay useful.
                return op == "ne" ? list.All(item => !Equal(item, r)) : list.Any(item => Compare(item, r));
            }

            return Compare(l, r);
        }

        private bool Compare(object? l, object? r) => op switch
        {
            "eq" => Equal(l, r),
            "ne" => !Equal(l, r),
            _ => Order(l, r) is { } order && op switch
            {
                "gt" => order > 0,
                "ge" => order >= 0,
                "lt" => order < 0,
                _ => order <= 0,
            },
        };
    }

    private sealed class In(Node operand, IReadOnlyList<object?> values) : Node
    {
        public override object? Evaluate(Scope scope)
        {
            var value = operand.Evaluate(scope);
            return value is IReadOnlyList<string> list
                ? list.Any(item => values.Any(v => Equal(item, v)))
                : values.Any(v => Equal(value, v));
        }
    }

    private sealed class TextFunction(string name, Node target, Node argument) : Node
    {
        public override object? Evaluate(Scope scope)
        {
            var text = target.Evaluate(scope);
            if (argument.Evaluate(scope) is not string part)
            {
                return false;
            }

            bool Test(string value) => name == "startswith"
                ? value.StartsWith(part, StringComparison.OrdinalIgnoreCase)
                : value.EndsWith(part, StringComparison.OrdinalIgnoreCase);
            return text switch
            {
                string value => Test(value),
                IReadOnlyList<string> list => list.Any(Test),
                _ => false,
            };
        }
    }

    private sealed class Lambda(Node collection, bool isAny, string variable, Node body) : Node
    {
        public override object? Evaluate(Scope scope)
        {
            var items = collection.Evaluate(scope) switch
            {
                IReadOnlyList<string> list => list,
                string single => [single],
                _ => [],
            };
            return isAny
                ? items.Any(item => body.Evaluate(scope with { Variable = variable, Item = item }) is true)
                : items.All(item => body.Evaluate(scope with { Variable = variable, Item = item }) is true);
        }
    }

    private static bool Equal(object? l, object? r)
    {
        if (l is null || r is null)
        {
            return l is null && r is null;
        }

        if (l is bool lb)
        {
            return r is bool rb ? lb == rb : r is string rs && bool.TryParse(rs, out var parsed) && parsed == lb;
        }

        return Order(l, r) == 0;
    }

    private static int? Order(object? l, object? r)
    {
        if (l is null || r is null)
        {
            return null;
        }

        if (r is DateTimeOffset rd)
        {
            return l is string ls && DateTimeOffset.TryParse(ls, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ld) ? ld.CompareTo(rd) : null;
        }

        if (r is double rn)
        {
            return l switch
            {
                double ln => ln.CompareTo(rn),
                string ls when double.TryParse(ls, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed.CompareTo(rn),
                _ => null,
            };
        }

        if (r is bool)
        {
            return Equal(l, r) ? 0 : null;
        }

        var lt = Convert.ToString(l, CultureInfo.InvariantCulture);
        var rt = Convert.ToString(r, CultureInfo.InvariantCulture);
        return string.Compare(lt, rt, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Parser(List<Token> tokens, string text)
    {
        private readonly List<string> _variables = [];
        private int _position;

        public HashSet<string> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string? AdvancedReason { get; private set; }

        public string? ClientSideProblem { get; private set; }

        public bool AtEnd => _position >= tokens.Count;

        public Token Current => AtEnd ? new Token(TokenKind.Symbol, "end of filter", text.Length) : tokens[_position];

        public Node ParseOr()
        {
            var left = ParseAnd();
            while (!AtEnd && Current.Is("or"))
            {
                _position++;
                left = new Logical(left, ParseAnd(), isAnd: false);
            }

            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseUnary();
            while (!AtEnd && Current.Is("and"))
            {
                _position++;
                left = new Logical(left, ParseUnary(), isAnd: true);
            }

            return left;
        }

        private Node ParseUnary()
        {
            if (!AtEnd && Current.Is("not"))
            {
                _position++;
                Advanced("the 'not' operator");
                return new Not(ParseUnary());
            }

            return ParseComparison();
        }

        private Node ParseComparison()
        {
            var left = ParseOperand();
            if (AtEnd || Current.Kind != TokenKind.Word)
            {
                return left;
            }

            var op = Current.Text.ToLowerInvariant();
            if (op == "in")
            {
                _position++;
                Expect("(");
                var values = new List<object?>();
                while (true)
                {
                    values.Add(((Constant)ParseLiteral()).Value);
                    if (Current.Is(","))
                    {
                        _position++;
                        continue;
                    }

                    Expect(")");
                    break;
                }

                return new In(left, values);
            }

            if (op is not ("eq" or "ne" or "gt" or "ge" or "lt" or "le"))
            {
                return left;
            }

            _position++;
            var right = ParseOperand();
            if (op == "ne")
            {
                Advanced("the 'ne' operator");
            }

            if (right is Constant { Value: null } || left is Constant { Value: null })
            {
                Advanced("a comparison with null");
            }

            return new Comparison(left, op, right);
        }

        private Node ParseOperand()
        {
            var token = Current;
            if (token.Is("("))
            {
                _position++;
                var inner = ParseOr();
                Expect(")");
                return inner;
            }

            if (token.Kind is TokenKind.String or TokenKind.Literal || (token.Kind == TokenKind.Word && token.Text.ToLowerInvariant() is "true" or "false" or "null"))
            {
                return ParseLiteral();
            }

            if (token.Kind != TokenKind.Word)
            {
                throw new FormatException($"unexpected '{token.Text}' at position {token.Position + 1}");
            }

            if (_position + 1 < tokens.Count && tokens[_position + 1].Is("("))
            {
                return ParseFunction();
            }

            return ParsePath();
        }

        private Node ParseFunction()
        {
            var name = Current.Text.ToLowerInvariant();
            var position = Current.Position;
            _position += 2;
            if (name is not ("startswith" or "endswith"))
            {
                throw new FormatException($"the function '{tokens[_position - 2].Text}' at position {position + 1} is not supported for users (use startsWith or endsWith)");
            }

            if (name == "endswith")
            {
                Advanced("the endsWith function");
            }

            var target = ParseOperand();
            Expect(",");
            var argument = ParseOperand();
            Expect(")");
            return new TextFunction(name, target, argument);
        }

        private Node ParsePath()
        {
            var first = Current;
            _position++;
            var segments = new List<string> { first.Text };
            string? variable = _variables.Contains(first.Text, StringComparer.Ordinal) ? first.Text : null;
            while (!AtEnd && Current.Is("/"))
            {
                _position++;
                var segment = Current;
                if (segment.Kind != TokenKind.Word)
                {
                    throw new FormatException($"a property name is missing after '/' at position {segment.Position + 1}");
                }

                _position++;
                var lower = segment.Text.ToLowerInvariant();
                if (lower is "any" or "all" && Current.Is("("))
                {
                    var collection = new PropertyPath(string.Join('/', segments), variable);
                    Track(segments, variable);
                    return ParseLambda(collection, lower == "any");
                }

                if (lower == "$count")
                {
                    Advanced("a $count segment");
                    ClientSideProblem ??= $"it counts a collection ({string.Join('/', segments)}/$count), which delta results cannot be filtered on";
                    Track(segments, variable);
                    return new Constant(null);
                }

                segments.Add(segment.Text);
            }

            if (first.Text.StartsWith('$'))
            {
                throw new FormatException($"'{first.Text}' at position {first.Position + 1} is not a property");
            }

            Track(segments, variable);
            return new PropertyPath(string.Join('/', segments), variable);
        }

        private Node ParseLambda(Node collection, bool isAny)
        {
            Expect("(");
            var variable = Current;
            if (variable.Kind != TokenKind.Word)
            {
                throw new FormatException($"a lambda variable is expected at position {variable.Position + 1}");
            }

            _position++;
            Expect(":");
            _variables.Add(variable.Text);
            var body = ParseOr();
            _variables.RemoveAt(_variables.Count - 1);
            Expect(")");
            return new Lambda(collection, isAny, variable.Text, body);
        }

        private Node ParseLiteral()
        {
            var token = Current;
            _position++;
            if (token.Kind == TokenKind.String)
            {
                return new Constant(token.Text);
            }

            switch (token.Text.ToLowerInvariant())
            {
                case "true":
                    return new Constant(true);
                case "false":
                    return new Constant(false);
                case "null":
                    return new Constant(null);
            }

            if (token.Kind == TokenKind.Literal)
            {
                if (Guid.TryParse(token.Text, out _))
                {
                    return new Constant(token.Text);
                }

                if (token.Text.Contains('T', StringComparison.Ordinal) || token.Text.Count(c => c == '-') >= 2)
                {
                    if (DateTimeOffset.TryParse(token.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                    {
                        return new Constant(date);
                    }
                }
                else if (double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return new Constant(number);
                }
            }

            throw new FormatException($"'{token.Text}' at position {token.Position + 1} is not a value (text goes in single quotes)");
        }

        private void Track(List<string> segments, string? variable)
        {
            if (variable is not null)
            {
                return;
            }

            Properties.Add(segments[0]);
            if (AdvancedOnlyProperties.Contains(segments[0]))
            {
                Advanced($"filtering on {segments[0]}");
            }
        }

        private void Advanced(string reason) => AdvancedReason ??= reason;

        private void Expect(string symbol)
        {
            if (!Current.Is(symbol))
            {
                throw new FormatException($"'{symbol}' expected at position {Current.Position + 1}, found '{Current.Text}'");
            }

            _position++;
        }
    }
}
