"""A person's rights over their data: a copy of what we hold (copy.py), closing and consents, retention."""
