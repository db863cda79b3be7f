"""Plain SQL files: staging views, comparison marts and data tests."""
