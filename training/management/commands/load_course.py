from django.core.management.base import BaseCommand, CommandError

from training.content import CURRENT_VERSION, VERSIONS, ContentError
from training.models import Course
from training.services import load_course, load_courses


class Command(BaseCommand):
    help = (
        "Load (or refresh) the food-safety course from training/content/: every version, with the "
        f"current one ({CURRENT_VERSION}) made current. Older versions stay for past attempts and certificates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--course-version",
            dest="course_version",
            choices=VERSIONS,
            help="Refresh this version only (it becomes current only if it is the current version).",
        )

    def handle(self, *args, course_version, **options):
        try:
            if course_version:
                load_course(version=course_version, make_current=course_version == CURRENT_VERSION)
            else:
                load_courses()
        except (ContentError, FileNotFoundError, KeyError) as error:
            raise CommandError(f"Course {course_version or CURRENT_VERSION} could not be loaded: {error}") from error
        for course in Course.objects.filter(version__in=VERSIONS).order_by("version"):
            questions = course.questions.filter(is_active=True).count()
            current = " (current)" if course.is_current else ""
            self.stdout.write(f"Loaded {course}{current}: {course.lessons.count()} lessons, {questions} questions.")
