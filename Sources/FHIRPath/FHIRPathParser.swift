/// Parses FHIRPath text into a ``FHIRPathNode`` tree, with the grammar's precedence, static
/// checks on function calls, and limits that keep a hostile expression from exhausting the stack.
struct FHIRPathParser {
    /// The longest expression accepted, in Unicode scalars.
    static let maximumLength = 100_000
    /// The deepest nesting of sub-expressions accepted.
    static let maximumDepth = 128

    private let expression: String
    private var tokens: [FHIRPathToken] = []
    private var position = 0
    private var depth = 0

    init(_ expression: String) {
        self.expression = expression
    }

    /// Parses the whole expression.
    mutating func parse() throws(FHIRPathError) -> FHIRPathNode {
        if expression.unicodeScalars.count > Self.maximumLength {
            throw FHIRPathError(
                stage: .syntax, message: "expression is longer than \(Self.maximumLength) characters",
                expression: expression, offset: nil)
        }
        var lexer = FHIRPathLexer(expression)
        tokens = try lexer.tokenize()
        if tokens.count == 1 { throw syntaxError("the expression is empty", at: current) }
        let node = try parseExpression(minimumLevel: 0)
        guard current.kind == .end else {
            throw syntaxError("unexpected \(describe(current)) after a complete expression", at: current)
        }
        return node
    }

    // MARK: Tokens

    private var current: FHIRPathToken { tokens[position] }

    private func describe(_ token: FHIRPathToken) -> String {
        switch token.kind {
        case .end: return "end of expression"
        case .string: return "string '\(token.text)'"
        case .externalConstant: return "'%\(token.text)'"
        case .special: return "'$\(token.text)'"
        case .dateTime: return "'@\(token.text)'"
        default: return "'\(token.text)'"
        }
    }

    private func syntaxError(_ message: String, at token: FHIRPathToken) -> FHIRPathError {
        FHIRPathError(stage: .syntax, message: message, expression: expression, offset: token.offset)
    }

    private func semanticError(_ message: String, at offset: Int) -> FHIRPathError {
        FHIRPathError(stage: .semantic, message: message, expression: expression, offset: offset)
    }

    private func isSymbol(_ text: String) -> Bool {
        current.kind == .symbol && current.text == text
    }

    private func isKeyword(_ text: String) -> Bool {
        current.kind == .identifier && current.text == text
    }

    private mutating func expect(_ symbol: String, _ context: String) throws(FHIRPathError) {
        guard isSymbol(symbol) else {
            throw syntaxError("expected '\(symbol)' \(context), found \(describe(current))", at: current)
        }
        position += 1
    }

    // MARK: Operators by precedence

    /// The binary operators at each level, lowest precedence first.
    private static let levels: [[String]] = [
        ["implies"],
        ["or", "xor"],
        ["and"],
        ["in", "contains"],
        ["=", "~", "!=", "!~"],
        ["<", ">", "<=", ">="],
        ["|"],
        ["is", "as"],
        ["+", "-", "&"],
        ["*", "/", "div", "mod"],
    ]

    private func operatorAtCurrent(level: Int) -> String? {
        let token = current
        guard token.kind == .symbol || token.kind == .identifier else { return nil }
        return Self.levels[level].contains(token.text) ? token.text : nil
    }

    private mutating func enter() throws(FHIRPathError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw syntaxError("expression is nested more than \(Self.maximumDepth) levels deep", at: current)
        }
    }

    private mutating func parseExpression(minimumLevel level: Int) throws(FHIRPathError) -> FHIRPathNode {
        try enter()
        defer { depth -= 1 }
        if level == Self.levels.count { return try parseUnary() }
        var left = try parseExpression(minimumLevel: level + 1)
        while let symbol = operatorAtCurrent(level: level) {
            let operatorToken = current
            position += 1
            if symbol == "is" || symbol == "as" {
                let type = try parseTypeSpecifier()
                left = FHIRPathNode(.typeTest(isAs: symbol == "as", left, type), offset: operatorToken.offset)
                continue
            }
            guard current.kind != .end else {
                throw syntaxError("expected an expression after '\(symbol)'", at: current)
            }
            let right = try parseExpression(minimumLevel: level + 1)
            guard let op = FHIRPathOperator(rawValue: symbol) else {
                throw syntaxError("unknown operator '\(symbol)'", at: operatorToken)
            }
            left = FHIRPathNode(.binary(op, left, right), offset: operatorToken.offset)
        }
        return left
    }

    private mutating func parseUnary() throws(FHIRPathError) -> FHIRPathNode {
        if isSymbol("-") || isSymbol("+") {
            let token = current
            position += 1
            try enter()
            defer { depth -= 1 }
            let operand = try parseUnary()
            if token.text == "+" { return operand }
            if case .literal(let values) = operand.kind, values.count == 1, let negated = values[0].negatedLiteral {
                return FHIRPathNode(.literal([negated]), offset: token.offset)
            }
            return FHIRPathNode(.negate(operand), offset: token.offset)
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws(FHIRPathError) -> FHIRPathNode {
        var node = try parseTerm()
        while true {
            if isSymbol(".") {
                position += 1
                let invocation = try parseInvocation(afterDot: true)
                node = FHIRPathNode(.invoke(node, invocation), offset: invocation.offset)
            } else if isSymbol("[") {
                let token = current
                position += 1
                let index = try parseExpression(minimumLevel: 0)
                try expect("]", "to close the index")
                node = FHIRPathNode(.indexer(node, index), offset: token.offset)
            } else {
                return node
            }
        }
    }

    private mutating func parseTerm() throws(FHIRPathError) -> FHIRPathNode {
        let token = current
        switch token.kind {
        case .end:
            throw syntaxError("expected an expression, found end of expression", at: token)
        case .string:
            position += 1
            return FHIRPathNode(.literal([.string(token.text)]), offset: token.offset)
        case .integer, .decimal, .long:
            position += 1
            return try parseNumberOrQuantity(token)
        case .dateTime:
            position += 1
            guard let value = FHIRPathTemporal.literal(token.text) else {
                throw syntaxError("'@\(token.text)' is not a valid date, dateTime or time", at: token)
            }
            return FHIRPathNode(.literal([value]), offset: token.offset)
        case .externalConstant:
            position += 1
            return FHIRPathNode(.constant(token.text), offset: token.offset)
        case .special, .identifier, .delimitedIdentifier:
            if token.kind == .identifier {
                if token.text == "true" || token.text == "false" {
                    position += 1
                    return FHIRPathNode(.literal([.boolean(token.text == "true")]), offset: token.offset)
                }
            }
            return try parseInvocation(afterDot: false)
        case .symbol:
            if token.text == "(" {
                position += 1
                let inner = try parseExpression(minimumLevel: 0)
                try expect(")", "to close '('")
                return inner
            }
            if token.text == "{" {
                position += 1
                try expect("}", "after '{' (only the empty collection '{}' is a literal)")
                return FHIRPathNode(.literal([]), offset: token.offset)
            }
            throw syntaxError("expected an expression, found \(describe(token))", at: token)
        }
    }

    private mutating func parseNumberOrQuantity(_ token: FHIRPathToken) throws(FHIRPathError) -> FHIRPathNode {
        let number: FHIRPathValue
        switch token.kind {
        case .integer:
            guard let value = Int(token.text) else {
                throw syntaxError("integer \(token.text) is too large", at: token)
            }
            number = .integer(value)
        case .long:
            guard let value = Int(token.text) else { throw syntaxError("long \(token.text) is too large", at: token) }
            number = .long(value)
        default:
            guard let value = FHIRPathValue.decimal(parsing: token.text) else {
                throw syntaxError("'\(token.text)' is not a decimal", at: token)
            }
            number = value
        }
        // A number followed by a unit is a quantity: `4 'mg'`, `3 days`.
        if token.kind != .long, current.kind == .string {
            let unit = current.text
            position += 1
            return FHIRPathNode(
                .literal([.quantity(FHIRPathQuantity(value: number.decimalValue!, unit: unit))]), offset: token.offset)
        }
        if token.kind != .long, current.kind == .identifier, FHIRPathQuantity.calendarUnits.contains(current.text) {
            let unit = current.text
            position += 1
            return FHIRPathNode(
                .literal([.quantity(FHIRPathQuantity(value: number.decimalValue!, unit: unit))]), offset: token.offset)
        }
        return FHIRPathNode(.literal([number]), offset: token.offset)
    }

    /// An identifier, function call or `$`-variable; after a dot, the member or function applied
    /// to each item.
    private mutating func parseInvocation(afterDot: Bool) throws(FHIRPathError) -> FHIRPathNode {
        let token = current
        switch token.kind {
        case .special:
            position += 1
            switch token.text {
            case "this": return FHIRPathNode(.this, offset: token.offset)
            case "index": return FHIRPathNode(.index, offset: token.offset)
            default: return FHIRPathNode(.total, offset: token.offset)
            }
        case .identifier, .delimitedIdentifier:
            position += 1
        default:
            throw syntaxError("expected a name or a function after '.', found \(describe(token))", at: token)
        }
        let name = token.text
        guard isSymbol("(") else {
            return FHIRPathNode(.member(name), offset: token.offset)
        }
        let open = current
        position += 1
        guard let function = FHIRPathFunction.named(name), token.kind == .identifier else {
            throw semanticError("unknown function '\(name)'", at: token.offset)
        }
        var arguments: [FHIRPathNode] = []
        if !isSymbol(")") {
            while true {
                if function.takesTypeArgument {
                    let typeStart = current
                    let type = try parseTypeSpecifier()
                    arguments.append(FHIRPathNode(.member(type.description), offset: typeStart.offset))
                } else {
                    arguments.append(try parseExpression(minimumLevel: 0))
                }
                if isSymbol(",") {
                    position += 1
                    continue
                }
                break
            }
        }
        guard isSymbol(")") else {
            throw syntaxError(
                "expected ',' or ')' in the arguments of '\(name)(', found \(describe(current))", at: current)
        }
        position += 1
        let (least, most) = function.arity
        if arguments.count < least || (most.map { arguments.count > $0 } ?? false) {
            let expected: String
            if let most, most == least {
                expected = most == 1 ? "1 argument" : "\(most) arguments"
            } else if let most {
                expected = "\(least) to \(most) arguments"
            } else {
                expected = "at least \(least) arguments"
            }
            throw semanticError(
                "function '\(name)' takes \(expected), not \(arguments.count)", at: open.offset)
        }
        return FHIRPathNode(.function(function, arguments), offset: token.offset)
    }

    private mutating func parseTypeSpecifier() throws(FHIRPathError) -> FHIRPathTypeSpecifier {
        guard current.kind == .identifier || current.kind == .delimitedIdentifier else {
            throw syntaxError("expected a type name, found \(describe(current))", at: current)
        }
        let first = current.text
        position += 1
        if isSymbol("."), tokens[position + 1].kind == .identifier || tokens[position + 1].kind == .delimitedIdentifier,
            first == "FHIR" || first == "System"
        {
            position += 1
            let name = current.text
            position += 1
            return FHIRPathTypeSpecifier(namespace: first, name: name)
        }
        return FHIRPathTypeSpecifier(namespace: nil, name: first)
    }
}
