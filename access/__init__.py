"""Who may use the KIM-Cockpit: users, roles and rights, and the audit log of their actions."""
