"""Every write of the KIM-Cockpit, each together with its entry in the audit log.

A write action stores something a user decided — an upload, an undo, a target, an Anmerkung, a
frozen meeting, a user, a backup, a restore, a rebuild — and records who did it, and how (on a
page or on the command line), in the audit log (``access/audit.py``) in the same call. The pages,
``ui/`` and every command line call these functions; none of them writes on its own or records a
data write by hand, so a new way of writing cannot forget the audit entry
(``tests/actions/test_by_construction.py`` checks both).

- ``actions.actor``: ``Actor`` (who and how) and the one place that records an action's entry;
- ``actions.uploads``: uploads of deliveries and official tables, undo;
- ``actions.database``: backup, restore, rebuild;
- ``actions.steering``: targets, Anmerkungen, frozen meetings;
- ``actions.accounts``: adding, changing and removing users.
"""
