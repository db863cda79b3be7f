"""fzzf: China's annual rule-of-law government reports, collected, parsed and compared."""

__version__ = "0.1.0"
# fzzf has no public home page to name here; operators name themselves with FZZF_CONTACT (a URL or mailbox),
# which scrapers.session puts in this place. Without it the agent still says what it is and how to fix that.
USER_AGENT = f"fzzf/{__version__} (rule-of-law report research crawler; operator contact not set: FZZF_CONTACT)"
