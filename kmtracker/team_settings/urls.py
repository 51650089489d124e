"""Team settings under /teams/<team>/settings/ (see kmtracker/urls.py)."""

from django.urls import path

from kmtracker.team_settings import views

app_name = "team_settings"

urlpatterns = [
    path("", views.team_settings, name="settings"),
    path("types/new/", views.ActivityTypeCreateView.as_view(), name="type_add"),
    path("types/<int:pk>/", views.ActivityTypeUpdateView.as_view(), name="type_edit"),
    path("types/<int:pk>/move/", views.activity_type_move, name="type_move"),
    path("types/<int:pk>/delete/", views.activity_type_delete, name="type_delete"),
    path("topics/<int:pk>/", views.TopicUpdateView.as_view(), name="topic_edit"),
    path("topics/<int:pk>/merge/", views.topic_merge, name="topic_merge"),
    path("tags/new/", views.LogTagCreateView.as_view(), name="tag_add"),
    path("tags/<int:pk>/", views.LogTagUpdateView.as_view(), name="tag_edit"),
]
