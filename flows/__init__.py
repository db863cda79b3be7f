"""Prefect flows and tasks that wire the layers together; no business logic lives here."""
