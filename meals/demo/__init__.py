"""All the demo data, in one place: `people` (areas, every role, cooks at every onboarding stage, the
course) and `diners` (requests, diners and matches). `manage.py load_demo` runs it; it refuses without
DEBUG and is safe to run again."""
