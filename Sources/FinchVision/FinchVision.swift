/// Images for Finch: decoding (PNG, JPEG), transforms, datasets and convolutional models.
public enum FinchVision {}
