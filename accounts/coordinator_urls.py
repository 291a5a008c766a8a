from django.urls import path

from accounts import review_views, views

app_name = "coordinator"
urlpatterns = [
    path("", views.coordinator_home, name="home"),
    path("coordinators/invite/", views.invite_coordinator, name="invite"),
    path("coordinators/invitations/<int:pk>/cancel/", views.revoke_invitation, name="revoke_invitation"),
    path("coordinators/<int:pk>/remove/", views.remove_coordinator, name="remove_coordinator"),
    # Cooks: identity checks, placing, approval.
    path("identity/", review_views.identity_queue, name="identity_queue"),
    path("cooks/", review_views.cook_list, name="cooks"),
    path("cooks/<int:pk>/", review_views.cook_detail, name="cook_detail"),
    path("cooks/<int:pk>/identity/<int:check_pk>/", review_views.identity_check, name="identity_check"),
    path("cooks/<int:pk>/identity/<int:check_pk>/photo/", review_views.identity_photo, name="identity_photo"),
    path("cooks/<int:pk>/identity/in-person/", review_views.identity_in_person, name="identity_in_person"),
    path("cooks/<int:pk>/location/", review_views.place_cook, name="place_cook"),
    path("cooks/<int:pk>/approve/", review_views.approve_cook, name="approve_cook"),
    path("cooks/<int:pk>/suspend/", review_views.suspend_cook, name="suspend_cook"),
    path("cooks/<int:pk>/reactivate/", review_views.reactivate_cook, name="reactivate_cook"),
]
