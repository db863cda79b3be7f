"""The version and the crawler's identity: a leaf module that imports nothing, so every layer may use it."""

__version__ = "0.1.0"
# fzzf has no public home page to name here; operators name themselves with FZZF_CONTACT (a URL or mailbox),
# which scrapers.session puts in this place. Without it the agent still says what it is and how to fix that.
USER_AGENT = f"fzzf/{__version__} (rule-of-law report research crawler; operator contact not set: FZZF_CONTACT)"
