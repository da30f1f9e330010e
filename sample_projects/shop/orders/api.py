from rest_framework import permissions, status, viewsets
from rest_framework.decorators import detail_route
from rest_framework.response import Response

from .models import Order
from .serializers import OrderSerializer


class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrderSerializer
    permission_classes = (permissions.IsAuthenticated,)
    lookup_field = 'number'
    filter_fields = ('status', 'gift_wrap')

    def get_queryset(self):
        queryset = Order.objects.prefetch_related('items__product')
        if self.request.user.is_staff:
            return queryset
        return queryset.filter(user=self.request.user)

    @detail_route(methods=['post'])
    def cancel(self, request, number=None):
        order = self.get_object()
        if not order.cancel(reason=request.data.get('reason', 'api')):
            return Response({'detail': 'This order can no longer be cancelled.'},
                            status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(order).data)
