"""Pure decisions over preloaded facts: scopes, and who may see what."""
