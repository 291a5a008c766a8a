from django.core.management.base import BaseCommand, CommandError

from training.content import ContentError
from training.services import load_course


class Command(BaseCommand):
    help = "Load (or refresh) the food-safety course from training/content/<version>/ and make it current."

    def add_arguments(self, parser):
        parser.add_argument("--course-version", dest="course_version", default="v1")

    def handle(self, *args, course_version, **options):
        try:
            course = load_course(version=course_version)
        except (ContentError, FileNotFoundError, KeyError) as error:
            raise CommandError(f"Course {course_version} could not be loaded: {error}") from error
        questions = course.questions.filter(is_active=True).count()
        self.stdout.write(f"Loaded {course}: {course.lessons.count()} lessons, {questions} questions.")
