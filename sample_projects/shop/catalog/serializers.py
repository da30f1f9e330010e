from django.utils.encoding import smart_text
from rest_framework import serializers

from .models import Category, Product, Review


class CategorySerializer(serializers.ModelSerializer):
    display_name = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ('id', 'name', 'slug', 'parent', 'display_name')

    def get_display_name(self, obj):
        return smart_text(obj)


class ReviewSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = Review
        fields = ('id', 'author', 'rating', 'comment', 'created')
        read_only_fields = ('author', 'created')


class ProductSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field='slug', queryset=Category.objects.all())
    in_stock = serializers.BooleanField(read_only=True)
    average_rating = serializers.DecimalField(max_digits=3, decimal_places=1, read_only=True)

    class Meta:
        model = Product
        fields = ('id', 'name', 'slug', 'sku', 'category', 'price', 'stock', 'in_stock',
                  'gift_wrap', 'average_rating')
        read_only_fields = ('slug',)
