"""Text analysis: folding, stems, stop words, compounds, nynorsk forms, synonyms and spelling suggestions."""
