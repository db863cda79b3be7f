"""Site registries: the real one (registry.toml) and the embedded demo (demo/)."""
