from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("", views.course, name="course"),
    path("lessons/<slug:slug>/", views.lesson, name="lesson"),
    path("quiz/start/", views.start_quiz, name="start_quiz"),
    path("quiz/<id:pk>/", views.quiz, name="quiz"),
    path("quiz/<id:pk>/result/", views.result, name="result"),
    path("certificates/<id:pk>/", views.certificate, name="certificate"),
]
