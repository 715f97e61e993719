"""Static resources (icons, fonts, translations) shipped with Propscope."""
