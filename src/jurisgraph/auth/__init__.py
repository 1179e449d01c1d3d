"""Authentication: users, passwords, sessions and API keys."""
