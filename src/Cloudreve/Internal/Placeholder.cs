namespace Cloudreve { internal static class Placeholder {} }
