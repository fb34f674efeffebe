"""Search: Whoosh schema and BM25F scoring, the dense side, fusion, source policy and grouping."""
