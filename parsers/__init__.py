"""Report text to facts: sections, figures, indicators, cited documents, integrity flags."""
