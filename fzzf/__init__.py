"""fzzf: China's annual rule-of-law government reports, collected, parsed and compared."""

from fzzf.version import USER_AGENT, __version__

__all__ = ["USER_AGENT", "__version__"]
