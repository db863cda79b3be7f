"""fzzf: China's annual rule-of-law government reports, collected, parsed and compared."""

__version__ = "0.1.0"
USER_AGENT = f"fzzf/{__version__} (+https://github.com/fzzf-project/fzzf; rule-of-law report research crawler)"
