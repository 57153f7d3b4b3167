"""The corpus layer (#5): many articles in one store, actors merged across them, the same
claim grouped across outlets, questions and exports over the whole."""
