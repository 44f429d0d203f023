/// Exact decimal arithmetic.
