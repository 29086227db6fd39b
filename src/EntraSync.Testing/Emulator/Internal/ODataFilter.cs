using System.Globalization;

namespace EntraSync.Testing.Emulator.Internal;

/// <summary>Thrown for a $filter the emulator rejects; carries Graph's status, code and message.</summary>
internal sealed class GraphQueryException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}

/// <summary>
/// A compiled <c>$filter</c> over users: eq, ne, not, in, startsWith, endsWith, and, or, parentheses,
/// <c>collection/any(x: ...)</c>, <c>collection/$count</c> and <c>onPremisesExtensionAttributes/extensionAttributeN</c>.
/// </summary>
internal sealed class ODataFilter
{
    private readonly Func<EmulatedUser, bool> _predicate;

    private ODataFilter(Func<EmulatedUser, bool> predicate, string? advancedOperator)
    {
        _predicate = predicate;
        AdvancedOperator = advancedOperator;
    }

    /// <summary>The first operator that makes this an advanced query (needs ConsistencyLevel + $count), or null.</summary>
    public string? AdvancedOperator { get; }

    public bool Matches(EmulatedUser user) => _predicate(user);

    public static ODataFilter FromPredicate(Func<EmulatedUser, bool> predicate) => new(predicate, null);

    public ODataFilter And(ODataFilter? other) =>
        other is null ? this : new ODataFilter(u => _predicate(u) && other._predicate(u), AdvancedOperator ?? other.AdvancedOperator);

    public static ODataFilter Parse(string text)
    {
        var parser = new Parser(Tokenize(text));
        var node = parser.ParseExpression();
        if (!parser.AtEnd)
        {
            throw InvalidClause();
        }

        var predicate = node.AsPredicate();
        return new ODataFilter(predicate, parser.AdvancedOperator);
    }

    internal static GraphQueryException InvalidClause() => new(400, "BadRequest", "Invalid filter clause");

    private static GraphQueryException UnsupportedProperty(string property) =>
        new(400, "Request_UnsupportedQuery", $"Unsupported or invalid query filter clause specified for property '{property}' of resource 'User'.");

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
                tokens.Add(new Token(TokenKind.Symbol, c.ToString()));
                i++;
            }
            else if (c == '\'')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw InvalidClause();
                    }

                    if (text[i] == '\'')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '\'')
                        {
                            sb.Append('\'');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    sb.Append(text[i++]);
                }

                tokens.Add(new Token(TokenKind.String, sb.ToString()));
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '$' or '-' or '.')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '$' or '-' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i]));
            }
            else
            {
                throw InvalidClause();
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Word,
        String,
        Symbol,
    }

    private readonly record struct Token(TokenKind Kind, string Text)
    {
        public bool Is(string symbolOrWord) => Kind != TokenKind.String && string.Equals(Text, symbolOrWord, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A node evaluates to a value for a user and (inside any()) the lambda variable's element.</summary>
    private abstract class Node
    {
        public abstract object? Evaluate(EmulatedUser user, string? element);

        public Func<EmulatedUser, bool> AsPredicate() => user => Evaluate(user, null) is true;
    }

    private sealed class Lambda(Func<EmulatedUser, string?, object?> evaluate) : Node
    {
        public override object? Evaluate(EmulatedUser user, string? element) => evaluate(user, element);
    }

    private sealed class Parser(List<Token> tokens)
    {
        private readonly HashSet<string> _variables = new(StringComparer.OrdinalIgnoreCase);
        private int _position;

        public string? AdvancedOperator { get; private set; }

        public bool AtEnd => _position >= tokens.Count;

        private Token? Peek => _position < tokens.Count ? tokens[_position] : null;

        public Node ParseExpression()
        {
            var left = ParseAnd();
            while (Peek is { } t && t.Is("or"))
            {
                _position++;
                var l = left;
                var r = ParseAnd();
                left = new Lambda((u, e) => l.Evaluate(u, e) is true || r.Evaluate(u, e) is true);
            }

            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseUnary();
            while (Peek is { } t && t.Is("and"))
            {
                _position++;
                var l = left;
                var r = ParseUnary();
                left = new Lambda((u, e) => l.Evaluate(u, e) is true && r.Evaluate(u, e) is true);
            }

            return left;
        }

        private Node ParseUnary()
        {
            if (Peek is { } t && t.Is("not"))
            {
                _position++;
                MarkAdvanced("not");
                var inner = ParseUnary();
                return new Lambda((u, e) => inner.Evaluate(u, e) is not true);
            }

            return ParseComparison();
        }

        private Node ParseComparison()
        {
            var left = ParseOperand();
            if (Peek is not { Kind: TokenKind.Word } op)
            {
                return left;
            }

            var name = op.Text.ToLowerInvariant();
            switch (name)
            {
                case "eq":
                case "ne":
                case "gt":
                case "ge":
                case "lt":
                case "le":
                    _position++;
                    if (name == "ne")
                    {
                        MarkAdvanced("ne");
                    }

                    var right = ParseOperand();
                    return new Lambda((u, e) => Compare(name, left.Evaluate(u, e), right.Evaluate(u, e)));
                case "in":
                    _position++;
                    Expect("(");
                    var items = new List<Node>();
                    if (Peek is { } close && close.Is(")"))
                    {
                        throw InvalidClause();
                    }

                    do
                    {
                        items.Add(ParseOperand());
                    }
                    while (TryConsume(","));
                    Expect(")");
                    return new Lambda((u, e) =>
                    {
                        var value = left.Evaluate(u, e);
                        return items.Any(i => Compare("eq", value, i.Evaluate(u, e)) is true);
                    });
                default:
                    return left;
            }
        }

        private Node ParseOperand()
        {
            var token = Peek ?? throw InvalidClause();
            if (token.Is("("))
            {
                _position++;
                var inner = ParseExpression();
                Expect(")");
                return inner;
            }

            _position++;
            if (token.Kind == TokenKind.String)
            {
                var s = token.Text;
                return new Lambda((_, _) => s);
            }

            if (token.Kind != TokenKind.Word)
            {
                throw InvalidClause();
            }

            var word = token.Text;
            if (word.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return new Lambda((_, _) => true);
            }

            if (word.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return new Lambda((_, _) => false);
            }

            if (word.Equals("null", StringComparison.OrdinalIgnoreCase))
            {
                return new Lambda((_, _) => null);
            }

            if (long.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                return new Lambda((_, _) => number);
            }

            if (Guid.TryParse(word, out var guid))
            {
                var g = guid.ToString();
                return new Lambda((_, _) => g);
            }

            if (Peek is { } open && open.Is("("))
            {
                return ParseFunction(word);
            }

            return ParsePath(word);
        }

        private Node ParseFunction(string function)
        {
            var f = function.ToLowerInvariant();
            if (f is not ("startswith" or "endswith"))
            {
                throw InvalidClause();
            }

            if (f == "endswith")
            {
                MarkAdvanced("endsWith");
            }

            Expect("(");
            var target = ParseOperand();
            Expect(",");
            var prefix = ParseOperand();
            Expect(")");
            return new Lambda((u, e) =>
            {
                var value = target.Evaluate(u, e);
                var p = prefix.Evaluate(u, e) as string;
                if (p is null)
                {
                    return false;
                }

                return value switch
                {
                    string s => f == "startswith"
                        ? s.StartsWith(p, StringComparison.OrdinalIgnoreCase)
                        : s.EndsWith(p, StringComparison.OrdinalIgnoreCase),

                    // Graph lets endsWith/startsWith apply to mail-like collections directly (e.g. proxyAddresses).
                    IEnumerable<string> list => list.Any(s => f == "startswith"
                        ? s.StartsWith(p, StringComparison.OrdinalIgnoreCase)
                        : s.EndsWith(p, StringComparison.OrdinalIgnoreCase)),
                    _ => false,
                };
            });
        }

        private Node ParsePath(string first)
        {
            if (_variables.Contains(first))
            {
                // x or x/skuId inside any(): the element itself.
                if (TryConsume("/"))
                {
                    var member = Peek ?? throw InvalidClause();
                    _position++;
                    if (!member.Text.Equals("skuId", StringComparison.OrdinalIgnoreCase))
                    {
                        throw UnsupportedProperty(member.Text);
                    }
                }

                return new Lambda((_, e) => e);
            }

            var property = UserCatalog.Find(first);
            if (property is null || !property.Filterable)
            {
                throw UnsupportedProperty(first);
            }

            if (!TryConsume("/"))
            {
                if (property.Kind == PropertyKind.ExtensionAttributes)
                {
                    throw UnsupportedProperty(first);
                }

                return new Lambda((u, _) => property.GetFilterValue(u));
            }

            var segment = Peek ?? throw InvalidClause();
            _position++;
            if (property.Kind == PropertyKind.ExtensionAttributes)
            {
                var key = UserProperty.ExtensionAttributeKeys.FirstOrDefault(k => k.Equals(segment.Text, StringComparison.OrdinalIgnoreCase))
                    ?? throw UnsupportedProperty(first + "/" + segment.Text);

                // Graph serves extension-attribute filters from the advanced-query index only.
                MarkAdvanced(property.Name);
                return new Lambda((u, _) => u.ExtensionAttributesOrNull is { } d && d.TryGetValue(key, out var v) ? v : null);
            }

            if (property.Kind is not (PropertyKind.StringList or PropertyKind.Licenses))
            {
                throw UnsupportedProperty(first);
            }

            if (segment.Text == "$count")
            {
                MarkAdvanced("$count");
                return new Lambda((u, _) => property.GetFilterValue(u) is IReadOnlyCollection<string> c ? (long)c.Count : 0L);
            }

            if (!segment.Text.Equals("any", StringComparison.OrdinalIgnoreCase))
            {
                throw InvalidClause();
            }

            Expect("(");
            var variable = Peek ?? throw InvalidClause();
            _position++;
            Expect(":");
            _variables.Add(variable.Text);
            var body = ParseExpression();
            _variables.Remove(variable.Text);
            Expect(")");
            return new Lambda((u, _) => property.GetFilterValue(u) is IEnumerable<string> items && items.Any(item => body.Evaluate(u, item) is true));
        }

        private void MarkAdvanced(string op) => AdvancedOperator ??= op;

        private bool TryConsume(string symbol)
        {
            if (Peek is { } t && t.Is(symbol))
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(string symbol)
        {
            if (!TryConsume(symbol))
            {
                throw InvalidClause();
            }
        }

        private static object? Compare(string op, object? left, object? right)
        {
            if (left is not string && left is IEnumerable<string>)
            {
                // A collection compared directly (not through any) is not valid OData.
                throw InvalidClause();
            }

            int? order = (left, right) switch
            {
                (null, null) => 0,
                (null, _) or (_, null) => null,
                (string a, string b) => string.Compare(a, b, StringComparison.OrdinalIgnoreCase),
                (bool a, bool b) => a.CompareTo(b),
                (long a, long b) => a.CompareTo(b),
                _ => string.Compare(Convert.ToString(left, CultureInfo.InvariantCulture), Convert.ToString(right, CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase),
            };
            return op switch
            {
                "eq" => order == 0,
                "ne" => order != 0,
                "gt" => order > 0,
                "ge" => order >= 0,
                "lt" => order < 0,
                "le" => order <= 0,
                _ => false,
            };
        }
    }
}
