export { ResultCache, cacheKey, DEFAULT_CACHE_LIMITS, type CacheEntry, type CacheKeyParts, type CacheLimits, type CacheOptions } from './resultCache';
export { userCacheDir } from './userDir';
