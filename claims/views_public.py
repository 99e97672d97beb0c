from django.http import Http404, HttpResponse


def home(request):
    return HttpResponse("digest")


def digest(request, slug):
    raise Http404


def claim(request, pk):
    raise Http404
