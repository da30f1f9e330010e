from rest_framework import permissions, status, viewsets
from rest_framework.decorators import detail_route, list_route
from rest_framework.response import Response

from .filters import ProductFilter
from .models import Category, Product
from .serializers import CategorySerializer, ProductSerializer, ReviewSerializer


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    filter_fields = ('parent',)


class ProductViewSet(viewsets.ModelViewSet):
    serializer_class = ProductSerializer
    filter_class = ProductFilter
    permission_classes = (permissions.IsAuthenticatedOrReadOnly,)

    def get_queryset(self):
        queryset = Product.objects.select_related('category').prefetch_related('reviews')
        if self.request.user.is_staff:
            return queryset
        return queryset.active()

    def get_permissions(self):
        if self.action in ('create', 'update', 'partial_update', 'destroy'):
            return [permissions.IsAdminUser()]
        return super(ProductViewSet, self).get_permissions()

    @list_route(methods=['get'])
    def low_stock(self, request):
        """Active products with fewer than ``threshold`` (default 5) items left."""
        try:
            threshold = int(request.query_params.get('threshold', 5))
        except ValueError:
            return Response({'threshold': ['A whole number is required.']},
                            status=status.HTTP_400_BAD_REQUEST)
        products = self.filter_queryset(self.get_queryset()).filter(stock__lt=threshold)
        serializer = self.get_serializer(products, many=True)
        return Response(serializer.data)

    @detail_route(methods=['get', 'post'], permission_classes=[permissions.IsAuthenticatedOrReadOnly])
    def reviews(self, request, pk=None):
        product = self.get_object()
        if request.method == 'POST':
            serializer = ReviewSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            if product.reviews.filter(author=request.user).exists():
                return Response({'detail': 'You have already reviewed this product.'},
                                status=status.HTTP_400_BAD_REQUEST)
            serializer.save(product=product, author=request.user)
            return Response(serializer.data, status=status.HTTP_201_CREATED)
        serializer = ReviewSerializer(product.reviews.all(), many=True)
        return Response(serializer.data)
