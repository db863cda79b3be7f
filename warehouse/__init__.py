"""The DuckDB warehouse: schema, bulk loads, marts, safe publishing and exports."""
