from django.urls import path

from accounts.review import views

# Under /coordinator/, in the "coordinator" namespace: identity checks, placing and approving cooks.
urlpatterns = [
    path("identity/", views.identity_queue, name="identity_queue"),
    path("cooks/", views.cook_list, name="cooks"),
    path("cooks/<id:pk>/", views.cook_detail, name="cook_detail"),
    path("cooks/<id:pk>/identity/<id:check_pk>/", views.identity_check, name="identity_check"),
    path("cooks/<id:pk>/identity/<id:check_pk>/photo/", views.identity_photo, name="identity_photo"),
    path("cooks/<id:pk>/identity/in-person/", views.identity_in_person, name="identity_in_person"),
    path("cooks/<id:pk>/location/", views.place_cook, name="place_cook"),
    path("cooks/<id:pk>/moves/<id:move_pk>/", views.decide_move, name="decide_move"),
    path("cooks/<id:pk>/approve/", views.approve_cook, name="approve_cook"),
    path("cooks/<id:pk>/suspend/", views.suspend_cook, name="suspend_cook"),
    path("cooks/<id:pk>/reactivate/", views.reactivate_cook, name="reactivate_cook"),
]
