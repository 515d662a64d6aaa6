//! Decoded images, kept across renders, and a cache of their resampled copies.
//!
//! An [`ImageStore`] lives in the long-lived engine: every image is decoded
//! once (PNG, JPEG or WebP), converted to premultiplied RGBA — the layout
//! tiny-skia draws — and kept until it is replaced or removed. Renders then ask
//! for [`ImageStore::resized`] copies at the exact pixel size they need; those
//! are cached too, bounded by bytes, because a batch of personalised banners
//! keeps drawing the same logo and product shot at the same size.
//!
//! Determinism: resampled pixels must be byte-identical on native x86, ARM and
//! wasm32. The resampler below is separable fixed-point convolution: filter
//! weights are computed once per axis in `f64` and quantised to integers,
//! then everything is integer arithmetic. Lanczos3 needs `sin`, whose last
//! bit depends on the platform's libm, so [`lanczos3`] uses a sine built from
//! `+`/`*` only (exact IEEE operations, identical everywhere); Catmull-Rom is
//! a plain polynomial. A test pins the output hashes.
//!
//! Why not `fast_image_resize`: it was the first choice and is faster with
//! SIMD, but its per-pixel-type dispatch keeps a 512 KiB alpha-division table
//! and much generic code alive in the wasm build (1.6 MB gzip in all); resized
//! copies are cached per engine, so the simpler resampler costs little.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::{Arc, Mutex, PoisonError};

use image::{ImageDecoder, ImageFormat};
use tiny_skia::{IntSize, Pixmap};

use crate::draw::Rect;
use crate::error::{Error, Result};

/// Largest side of a resampled copy, in pixels. Matches the largest canvas the
/// raster stage accepts; bigger requests come from broken layouts.
pub const MAX_RESIZE_DIMENSION: u32 = 16_384;

/// Default bound of the resize cache: 64 MiB of pixels.
pub const DEFAULT_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// Limits applied when an image is added, before its pixels are allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageLimits {
    /// Largest encoded size accepted, in bytes. Default: 20 MiB (20 971 520).
    pub max_bytes: usize,
    /// Largest decoded area accepted, in pixels (width × height).
    /// Default: 40 megapixels (40 000 000).
    pub max_pixels: u64,
    /// Largest width or height accepted, in pixels. Default: 12 000.
    pub max_dimension: u32,
}

impl Default for ImageLimits {
    fn default() -> Self {
        ImageLimits {
            max_bytes: 20 * 1024 * 1024,
            max_pixels: 40_000_000,
            max_dimension: 12_000,
        }
    }
}

/// What an added image is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ImageInfo {
    /// Width in pixels (after applying the EXIF orientation).
    pub width: u32,
    /// Height in pixels (after applying the EXIF orientation).
    pub height: u32,
    /// xxh3-64 of the encoded bytes: stable across runs and platforms, so it
    /// can key caches outside the process too.
    pub hash: u64,
    /// The encoded format: `png`, `jpeg` or `webp`.
    pub format: &'static str,
}

/// One decoded image.
#[derive(Clone, Debug)]
pub struct StoredImage {
    pixmap: Arc<Pixmap>,
    info: ImageInfo,
}

impl StoredImage {
    /// The pixels, premultiplied RGBA.
    pub fn pixmap(&self) -> &Pixmap {
        &self.pixmap
    }

    /// Size, hash and format.
    pub fn info(&self) -> ImageInfo {
        self.info
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.info.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.info.height
    }

    /// xxh3-64 of the encoded bytes.
    pub fn hash(&self) -> u64 {
        self.info.hash
    }
}

/// Identifies one resampled copy. The content hash (not the key) is used so a
/// key re-added with new bytes can never be served a stale copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct CacheKey {
    hash: u64,
    /// `source` as raw `f32` bits: exact, and hashable.
    source: [u32; 4],
    width: u32,
    height: u32,
}

#[derive(Debug)]
struct CacheEntry {
    pixmap: Arc<Pixmap>,
    last_used: u64,
}

/// Least-recently-used cache bounded by the bytes of its pixmaps.
#[derive(Debug)]
struct ResizeCache {
    entries: HashMap<CacheKey, CacheEntry>,
    bytes: usize,
    budget: usize,
    tick: u64,
}

impl ResizeCache {
    fn new(budget: usize) -> Self {
        ResizeCache {
            entries: HashMap::new(),
            bytes: 0,
            budget,
            tick: 0,
        }
    }

    fn get(&mut self, key: &CacheKey) -> Option<Arc<Pixmap>> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.get_mut(key).map(|entry| {
            entry.last_used = tick;
            Arc::clone(&entry.pixmap)
        })
    }

    fn insert(&mut self, key: CacheKey, pixmap: Arc<Pixmap>) {
        let size = pixmap.data().len();
        if size > self.budget {
            return; // would evict everything and still not fit
        }
        if let Some(old) = self.entries.remove(&key) {
            self.bytes -= old.pixmap.data().len();
        }
        while self.bytes + size > self.budget {
            // A linear scan is fine: entries are few (a banner has a handful
            // of images) and eviction is rare.
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.last_used)
                .map(|(key, _)| *key);
            match oldest.and_then(|key| self.entries.remove(&key)) {
                Some(entry) => self.bytes -= entry.pixmap.data().len(),
                None => break,
            }
        }
        self.tick += 1;
        self.bytes += size;
        self.entries.insert(
            key,
            CacheEntry {
                pixmap,
                last_used: self.tick,
            },
        );
    }

    fn remove_hash(&mut self, hash: u64) {
        let mut freed = 0;
        self.entries.retain(|key, entry| {
            let keep = key.hash != hash;
            if !keep {
                freed += entry.pixmap.data().len();
            }
            keep
        });
        self.bytes -= freed;
    }
}

/// Decoded images by key, plus the cache of their resampled copies.
///
/// `Send + Sync`: renders on several threads can share one store behind an
/// `Arc`; only [`ImageStore::add`]/[`ImageStore::remove`] need `&mut`.
#[derive(Debug)]
pub struct ImageStore {
    images: HashMap<String, StoredImage>,
    cache: Mutex<ResizeCache>,
}

impl Default for ImageStore {
    fn default() -> Self {
        Self::new()
    }
}

impl ImageStore {
    /// An empty store whose resize cache holds up to [`DEFAULT_CACHE_BYTES`].
    pub fn new() -> Self {
        Self::with_cache_budget(DEFAULT_CACHE_BYTES)
    }

    /// An empty store whose resize cache holds up to `bytes` of pixels
    /// (0 disables caching).
    pub fn with_cache_budget(bytes: usize) -> Self {
        ImageStore {
            images: HashMap::new(),
            cache: Mutex::new(ResizeCache::new(bytes)),
        }
    }

    /// Decodes `bytes` (PNG, JPEG or WebP, detected from the content) and
    /// stores it under `key`, replacing any image already there.
    ///
    /// Sizes are checked against `limits` from the header, before the pixel
    /// buffer is allocated, so a small file claiming a huge size is refused
    /// cheaply. Re-adding identical bytes under the same key skips decoding.
    pub fn add(&mut self, key: &str, bytes: &[u8], limits: &ImageLimits) -> Result<ImageInfo> {
        if bytes.len() > limits.max_bytes {
            return Err(Error::limit(
                key,
                "maxImageBytes",
                limits.max_bytes as u64,
                bytes.len() as u64,
            ));
        }
        let hash = xxhash_rust::xxh3::xxh3_64(bytes);
        if let Some(existing) = self.images.get(key) {
            if existing.info.hash == hash {
                check_size(key, existing.info.width, existing.info.height, limits)?;
                return Ok(existing.info);
            }
        }
        let (pixmap, format) = decode(key, bytes, limits)?;
        let info = ImageInfo {
            width: pixmap.width(),
            height: pixmap.height(),
            hash,
            format,
        };
        let stored = StoredImage {
            pixmap: Arc::new(pixmap),
            info,
        };
        if let Some(old) = self.images.insert(key.to_owned(), stored) {
            self.forget_copies(old.info.hash);
        }
        Ok(info)
    }

    /// The image stored under `key`.
    pub fn get(&self, key: &str) -> Option<&StoredImage> {
        self.images.get(key)
    }

    /// Size, hash and format of the image stored under `key`.
    pub fn info(&self, key: &str) -> Option<ImageInfo> {
        self.images.get(key).map(|image| image.info)
    }

    /// True when an image is stored under `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.images.contains_key(key)
    }

    /// Removes the image stored under `key` (and its cached copies).
    pub fn remove(&mut self, key: &str) -> Option<ImageInfo> {
        let old = self.images.remove(key)?;
        self.forget_copies(old.info.hash);
        Some(old.info)
    }

    /// The keys of all stored images, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.images.keys().map(String::as_str)
    }

    /// Number of stored images.
    pub fn len(&self) -> usize {
        self.images.len()
    }

    /// True when no image is stored.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    /// Bytes currently held by the resize cache.
    pub fn cache_bytes(&self) -> usize {
        self.lock_cache().bytes
    }

    /// The part `source` (in image pixels) of the image under `key`,
    /// resampled to exactly `width × height`, premultiplied RGBA.
    ///
    /// Lanczos3 when shrinking along either axis, Catmull-Rom when only
    /// enlarging. `source` is clamped to the image. Results are cached; the
    /// same inputs give byte-identical pixels on every platform.
    pub fn resized(&self, key: &str, source: Rect, width: u32, height: u32) -> Result<Arc<Pixmap>> {
        let image = self.images.get(key).ok_or_else(|| Error::Image {
            key: key.to_owned(),
            reason: "not loaded".to_owned(),
        })?;
        let full = Rect::new(0.0, 0.0, image.info.width as f32, image.info.height as f32);
        if source == full && width == image.info.width && height == image.info.height {
            return Ok(Arc::clone(&image.pixmap));
        }
        let cache_key = CacheKey {
            hash: image.info.hash,
            source: [
                source.x.to_bits(),
                source.y.to_bits(),
                source.width.to_bits(),
                source.height.to_bits(),
            ],
            width,
            height,
        };
        if let Some(hit) = self.lock_cache().get(&cache_key) {
            return Ok(hit);
        }
        // Resample without holding the lock: other renders keep going; two
        // threads racing on the same copy compute identical pixels anyway.
        let pixmap = resample(key, &image.pixmap, source, width, height)?;
        let pixmap = Arc::new(pixmap);
        self.lock_cache().insert(cache_key, Arc::clone(&pixmap));
        Ok(pixmap)
    }

    fn forget_copies(&mut self, hash: u64) {
        // Another key may hold the same bytes: keep their copies then.
        if !self.images.values().any(|image| image.info.hash == hash) {
            self.lock_cache().remove_hash(hash);
        }
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, ResizeCache> {
        // A panic while holding the lock cannot leave the cache inconsistent
        // in a harmful way (worst case a stale byte count), so keep using it.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn check_size(key: &str, width: u32, height: u32, limits: &ImageLimits) -> Result<()> {
    let largest = width.max(height);
    if largest > limits.max_dimension {
        return Err(Error::limit(
            key,
            "maxImageDimension",
            u64::from(limits.max_dimension),
            u64::from(largest),
        ));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(Error::limit(
            key,
            "maxImagePixels",
            limits.max_pixels,
            pixels,
        ));
    }
    Ok(())
}

fn image_error(key: &str, reason: impl std::fmt::Display) -> Error {
    Error::Image {
        key: key.to_owned(),
        reason: reason.to_string(),
    }
}

/// Decodes to premultiplied RGBA, checking the header's size first.
fn decode(key: &str, bytes: &[u8], limits: &ImageLimits) -> Result<(Pixmap, &'static str)> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| image_error(key, e))?;
    let format = match reader.format() {
        Some(ImageFormat::Png) => "png",
        Some(ImageFormat::Jpeg) => "jpeg",
        Some(ImageFormat::WebP) => "webp",
        Some(other) => {
            return Err(image_error(
                key,
                format!("unsupported format {other:?} (use PNG, JPEG or WebP)"),
            ))
        }
        None => return Err(image_error(key, "unknown format (use PNG, JPEG or WebP)")),
    };

    // Room for the decoded buffer at up to 16 bits per channel plus the
    // decoders' working memory. The header check below is what really bounds
    // the size; this stops a decoder that would allocate more than expected.
    let max_alloc = limits
        .max_pixels
        .saturating_mul(8)
        .saturating_add(16 * 1024 * 1024);
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_dimension);
    decoder_limits.max_image_height = Some(limits.max_dimension);
    decoder_limits.max_alloc = Some(max_alloc);

    // The header is parsed with only the allocation limit so the size can be
    // reported exactly; the dimension limits are applied right after.
    let mut header_limits = image::Limits::default();
    header_limits.max_alloc = Some(max_alloc);
    let mut reader = reader;
    reader.limits(header_limits);
    let mut decoder = reader.into_decoder().map_err(|e| image_error(key, e))?;
    let (width, height) = decoder.dimensions();
    check_size(key, width, height, limits)?;
    if width == 0 || height == 0 {
        return Err(image_error(key, "image has no pixels"));
    }
    decoder_limits
        .reserve(decoder.total_bytes())
        .map_err(|e| image_error(key, e))?;
    decoder
        .set_limits(decoder_limits)
        .map_err(|e| image_error(key, e))?;
    // Browsers honour EXIF orientation by default (`image-orientation:
    // from-image`), so photos from phones come out upright here too.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut dynamic =
        image::DynamicImage::from_decoder(decoder).map_err(|e| image_error(key, e))?;
    dynamic.apply_orientation(orientation);

    let rgba = dynamic.into_rgba8();
    let (width, height) = rgba.dimensions();
    let mut data = rgba.into_raw();
    premultiply_in_place(&mut data);
    let size = IntSize::from_wh(width, height).ok_or_else(|| image_error(key, "empty image"))?;
    let pixmap =
        Pixmap::from_vec(data, size).ok_or_else(|| image_error(key, "pixel buffer mismatch"))?;
    Ok((pixmap, format))
}

/// `round(c * a / 255)` exactly, in integers.
#[inline]
fn mul_div255(c: u8, a: u8) -> u8 {
    let prod = u32::from(c) * u32::from(a) + 128;
    ((prod + (prod >> 8)) >> 8) as u8
}

/// Straight RGBA to premultiplied RGBA.
fn premultiply_in_place(data: &mut [u8]) {
    for px in data.chunks_exact_mut(4) {
        let a = px[3];
        if a == 255 {
            continue;
        }
        px[0] = mul_div255(px[0], a);
        px[1] = mul_div255(px[1], a);
        px[2] = mul_div255(px[2], a);
    }
}

/// `sin(πx)` from exact IEEE operations only, so it is bit-identical on every
/// platform (libm `sin` is not). Accurate to ~1e-16 absolute.
fn sin_pi(x: f64) -> f64 {
    let n = x.round();
    // |r| <= 0.5, and `x - n` is exact for the small arguments used here.
    let r = x - n;
    let t = r * std::f64::consts::PI;
    let t2 = t * t;
    // Taylor series to t^21 in Horner form (the first omitted term is
    // < 2e-18 for |t| <= π/2):
    // sin t = t (1 - t²/(2·3) (1 - t²/(4·5) (1 - t²/(6·7) (...))))
    let mut acc = 1.0;
    for k in (1..=10u32).rev() {
        let a = f64::from(2 * k);
        let b = f64::from(2 * k + 1);
        acc = 1.0 - t2 / (a * b) * acc;
    }
    let s = t * acc;
    if (n as i64) % 2 == 0 {
        s
    } else {
        -s
    }
}

/// Lanczos window with a = 3, built on [`sin_pi`].
fn lanczos3(x: f64) -> f64 {
    if x == 0.0 {
        return 1.0;
    }
    if !(-3.0..3.0).contains(&x) {
        return 0.0;
    }
    let pi = std::f64::consts::PI;
    3.0 * sin_pi(x) * sin_pi(x / 3.0) / (pi * pi * x * x)
}

/// Fixed-point precision of filter weights: 14 bits keeps every product and
/// sum of a 8-bit channel inside an `i32`.
const WEIGHT_BITS: u32 = 14;

/// Catmull-Rom cubic (a = -0.5): sharp, no ringing to speak of, polynomial
/// only, so identical on every platform.
fn catmull_rom(x: f64) -> f64 {
    let x = x.abs();
    if x < 1.0 {
        (1.5 * x - 2.5) * x * x + 1.0
    } else if x < 2.0 {
        ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    } else {
        0.0
    }
}

/// One output sample's taps: the first source index and integer weights
/// summing to exactly `1 << WEIGHT_BITS`.
struct Taps {
    first: usize,
    weights: Vec<i32>,
}

/// Taps along one axis: `crop_start..crop_start + crop_len` of a `src_len`
/// long axis onto `dst_len` samples. Weights are computed in f64 with `+ * /`
/// and `floor` only, then quantised, so every platform gets the same integers.
fn axis_taps(
    crop_start: f64,
    crop_len: f64,
    src_len: usize,
    dst_len: u32,
    shrinking: bool,
) -> Vec<Taps> {
    let (kernel, radius): (fn(f64) -> f64, f64) = if shrinking {
        (lanczos3, 3.0)
    } else {
        (catmull_rom, 2.0)
    };
    let scale = crop_len / f64::from(dst_len);
    // When shrinking, stretch the kernel over the source footprint (anti-aliasing).
    let stretch = scale.max(1.0);
    let support = radius * stretch;
    let one = 1i32 << WEIGHT_BITS;
    (0..dst_len)
        .map(|i| {
            let center = crop_start + (f64::from(i) + 0.5) * scale;
            let lo = ((center - support).floor().max(0.0)) as usize;
            let hi = (((center + support).floor() + 1.0).max(0.0) as usize).min(src_len);
            let lo = lo.min(hi.saturating_sub(1));
            let raw: Vec<f64> = (lo..hi)
                .map(|j| kernel((j as f64 + 0.5 - center) / stretch))
                .collect();
            let total: f64 = raw.iter().sum();
            let total = if total.abs() < 1e-12 { 1.0 } else { total };
            let mut weights: Vec<i32> = raw
                .iter()
                .map(|w| (w / total * f64::from(one)).round() as i32)
                .collect();
            // Put the rounding remainder on the largest tap: flat areas stay exact.
            let rest = one - weights.iter().sum::<i32>();
            if let Some(k) = (0..weights.len()).max_by_key(|&k| weights[k]) {
                weights[k] += rest;
            }
            Taps { first: lo, weights }
        })
        .collect()
}

fn round_channel(acc: i32) -> u8 {
    ((acc + (1 << (WEIGHT_BITS - 1))) >> WEIGHT_BITS).clamp(0, 255) as u8
}

/// Resamples `source` (clamped to the image) of premultiplied `src` to
/// `width × height`: separable, Lanczos3 when shrinking (with a sine that is
/// exact everywhere), Catmull-Rom when enlarging, integer arithmetic after the
/// weights, so the bytes are the same natively and in wasm. Premultiplied
/// input is what a correct RGBA resample needs.
pub fn resample_pixels(
    src: &Pixmap,
    source: Rect,
    width: u32,
    height: u32,
) -> std::result::Result<Pixmap, String> {
    if width == 0 || height == 0 || width > MAX_RESIZE_DIMENSION || height > MAX_RESIZE_DIMENSION {
        return Err(format!(
            "target size {width}x{height} is outside 1..={MAX_RESIZE_DIMENSION}"
        ));
    }
    let (sw, sh) = (f64::from(src.width()), f64::from(src.height()));
    let left = f64::from(source.x).clamp(0.0, sw);
    let top = f64::from(source.y).clamp(0.0, sh);
    let right = f64::from(source.x + source.width).clamp(0.0, sw);
    let bottom = f64::from(source.y + source.height).clamp(0.0, sh);
    if !(right - left > 0.0 && bottom - top > 0.0) {
        return Err(format!(
            "source rect {}x{} at ({}, {}) does not overlap the {}x{} image",
            source.width,
            source.height,
            source.x,
            source.y,
            src.width(),
            src.height()
        ));
    }
    let (crop_w, crop_h) = (right - left, bottom - top);
    let shrinking = f64::from(width) < crop_w || f64::from(height) < crop_h;
    let (src_w, src_h) = (src.width() as usize, src.height() as usize);
    let xs = axis_taps(left, crop_w, src_w, width, shrinking);
    let ys = axis_taps(top, crop_h, src_h, height, shrinking);
    // Horizontal pass over just the rows the vertical taps read.
    let row_lo = ys.iter().map(|t| t.first).min().unwrap_or(0);
    let row_hi = ys
        .iter()
        .map(|t| t.first + t.weights.len())
        .max()
        .unwrap_or(0)
        .min(src_h);
    let w = width as usize;
    let data = src.data();
    // Both passes keep each pixel's four channels together in one `[i32; 4]`
    // (one SIMD vector) and index through slices checked once, so they
    // vectorise; integer sums do not depend on their order, so the bytes
    // are the same as a naive loop's. 3–4× faster than per-channel indexing.
    let mut mid = vec![0u8; (row_hi - row_lo) * w * 4];
    for (row, out) in data
        .chunks_exact(src_w * 4)
        .skip(row_lo)
        .zip(mid.chunks_exact_mut(w * 4))
    {
        for (taps, px) in xs.iter().zip(out.chunks_exact_mut(4)) {
            let span = &row[taps.first * 4..(taps.first + taps.weights.len()) * 4];
            let mut acc = [0i32; 4];
            for (p, &wt) in span.chunks_exact(4).zip(&taps.weights) {
                for c in 0..4 {
                    acc[c] += i32::from(p[c]) * wt;
                }
            }
            for c in 0..4 {
                px[c] = round_channel(acc[c]);
            }
        }
    }
    // Vertical pass a row at a time: every tap adds a whole source row,
    // scaled, into an accumulator row.
    let mut dst = vec![0u8; w * height as usize * 4];
    let mut acc = vec![0i32; w * 4];
    for (taps, out) in ys.iter().zip(dst.chunks_exact_mut(w * 4)) {
        acc.fill(0);
        for (k, &wt) in taps.weights.iter().enumerate() {
            let r = taps.first + k - row_lo;
            for (a, &p) in acc.iter_mut().zip(&mid[r * w * 4..(r + 1) * w * 4]) {
                *a += i32::from(p) * wt;
            }
        }
        for (px, a) in out.chunks_exact_mut(4).zip(acc.chunks_exact(4)) {
            let alpha = round_channel(a[3]);
            // Cubic filters overshoot at hard edges: keep colour <= alpha so
            // the result is valid premultiplied RGBA.
            px[0] = round_channel(a[0]).min(alpha);
            px[1] = round_channel(a[1]).min(alpha);
            px[2] = round_channel(a[2]).min(alpha);
            px[3] = alpha;
        }
    }
    let size = IntSize::from_wh(width, height).ok_or("empty target size")?;
    Pixmap::from_vec(dst, size).ok_or_else(|| "pixel buffer mismatch".to_owned())
}

/// [`resample_pixels`], reporting errors for `key`.
pub fn resample(key: &str, src: &Pixmap, source: Rect, width: u32, height: u32) -> Result<Pixmap> {
    resample_pixels(src, source, width, height).map_err(|reason| Error::Image {
        key: key.to_owned(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::ImageEncoder;

    fn encode_rgba(
        width: u32,
        height: u32,
        f: impl Fn(u32, u32) -> [u8; 4],
        format: &str,
    ) -> Vec<u8> {
        let mut data = Vec::new();
        for y in 0..height {
            for x in 0..width {
                data.extend_from_slice(&f(x, y));
            }
        }
        let mut out = Vec::new();
        match format {
            "png" => image::codecs::png::PngEncoder::new(&mut out)
                .write_image(&data, width, height, image::ExtendedColorType::Rgba8)
                .unwrap(),
            "webp" => image::codecs::webp::WebPEncoder::new_lossless(&mut out)
                .write_image(&data, width, height, image::ExtendedColorType::Rgba8)
                .unwrap(),
            "jpeg" => {
                let rgb: Vec<u8> = data
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect();
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
                    .write_image(&rgb, width, height, image::ExtendedColorType::Rgb8)
                    .unwrap()
            }
            _ => unreachable!(),
        }
        out
    }

    fn px(p: &Pixmap, x: u32, y: u32) -> [u8; 4] {
        let c = p.pixel(x, y).unwrap();
        [c.red(), c.green(), c.blue(), c.alpha()]
    }

    #[test]
    fn store_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<ImageStore>();
    }

    #[test]
    fn decodes_png_premultiplied() {
        let png = encode_rgba(
            4,
            2,
            |x, _| {
                if x < 2 {
                    [200, 100, 50, 255]
                } else {
                    [200, 100, 50, 128]
                }
            },
            "png",
        );
        let mut store = ImageStore::new();
        let info = store.add("a", &png, &ImageLimits::default()).unwrap();
        assert_eq!((info.width, info.height, info.format), (4, 2, "png"));
        assert_eq!(info.hash, xxhash_rust::xxh3::xxh3_64(&png));
        let img = store.get("a").unwrap();
        assert_eq!(px(img.pixmap(), 0, 0), [200, 100, 50, 255]);
        // round(200·128/255) = 100, round(100·128/255) = 50, round(50·128/255) = 25
        assert_eq!(px(img.pixmap(), 3, 1), [100, 50, 25, 128]);
        assert!(store.contains("a"));
        assert_eq!(store.keys().collect::<Vec<_>>(), vec!["a"]);
        assert_eq!(store.info("a"), Some(info));
    }

    #[test]
    fn decodes_jpeg_and_webp() {
        let f = |x: u32, y: u32| {
            if (x / 8 + y / 8) % 2 == 0 {
                [250, 20, 20, 255]
            } else {
                [20, 20, 250, 255]
            }
        };
        let mut store = ImageStore::new();
        let jpeg = encode_rgba(32, 16, f, "jpeg");
        let info = store.add("j", &jpeg, &ImageLimits::default()).unwrap();
        assert_eq!((info.width, info.height, info.format), (32, 16, "jpeg"));
        let c = px(store.get("j").unwrap().pixmap(), 3, 3);
        assert!(c[0] > 220 && c[2] < 50 && c[3] == 255, "{c:?}");

        let webp = encode_rgba(32, 16, f, "webp");
        let info = store.add("w", &webp, &ImageLimits::default()).unwrap();
        assert_eq!(info.format, "webp");
        assert_eq!(
            px(store.get("w").unwrap().pixmap(), 12, 3),
            [20, 20, 250, 255]
        );
    }

    #[test]
    fn readding_replaces() {
        let mut store = ImageStore::new();
        let a = encode_rgba(2, 2, |_, _| [255, 0, 0, 255], "png");
        let b = encode_rgba(3, 1, |_, _| [0, 255, 0, 255], "png");
        store.add("k", &a, &ImageLimits::default()).unwrap();
        let first = store
            .resized("k", Rect::new(0.0, 0.0, 2.0, 2.0), 5, 5)
            .unwrap();
        assert_eq!(px(&first, 2, 2), [255, 0, 0, 255]);
        let info = store.add("k", &b, &ImageLimits::default()).unwrap();
        assert_eq!((info.width, info.height), (3, 1));
        assert_eq!(px(store.get("k").unwrap().pixmap(), 0, 0), [0, 255, 0, 255]);
        // The old copy is not served for the new bytes.
        let second = store
            .resized("k", Rect::new(0.0, 0.0, 2.0, 1.0), 5, 5)
            .unwrap();
        assert_eq!(px(&second, 2, 2), [0, 255, 0, 255]);
        // Same bytes again: no change.
        assert_eq!(store.add("k", &b, &ImageLimits::default()).unwrap(), info);
        assert_eq!(store.remove("k"), Some(info));
        assert!(!store.contains("k"));
        assert_eq!(store.cache_bytes(), 0);
    }

    #[test]
    fn corrupt_and_unknown_bytes_are_image_errors() {
        let mut store = ImageStore::new();
        let png = encode_rgba(16, 16, |x, y| [x as u8 * 9, y as u8 * 9, 0, 255], "png");
        let jpeg = encode_rgba(16, 16, |x, y| [x as u8 * 9, y as u8 * 9, 0, 255], "jpeg");
        let mut flipped = png.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0xff;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("empty", vec![]),
            ("text", b"hello, this is not an image".to_vec()),
            ("gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec()),
            ("png-truncated", png[..png.len() / 2].to_vec()),
            ("png-header-only", png[..8].to_vec()),
            ("png-flipped", flipped),
            ("jpeg-truncated", jpeg[..jpeg.len() / 3].to_vec()),
            (
                "webp-junk",
                b"RIFF\x10\x00\x00\x00WEBPVP8L\x04\x00\x00\x00junk".to_vec(),
            ),
        ];
        for (name, bytes) in cases {
            match store.add(name, &bytes, &ImageLimits::default()) {
                Err(Error::Image { key, reason }) => {
                    assert_eq!(key, name);
                    assert!(!reason.is_empty());
                }
                other => panic!("{name}: {other:?}"),
            }
            assert!(!store.contains(name));
        }
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }

    /// A tiny, valid-looking PNG whose header claims `width × height`.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &ihdr);
        // A zlib stream of a few zero bytes: far too little data.
        chunk(
            &mut out,
            b"IDAT",
            &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
        );
        chunk(&mut out, b"IEND", &[]);
        out
    }

    #[test]
    fn decompression_bombs_are_refused_from_the_header() {
        let mut store = ImageStore::new();
        let start = std::time::Instant::now();
        match store.add(
            "bomb",
            &png_claiming(100_000, 100_000),
            &ImageLimits::default(),
        ) {
            Err(Error::Limit {
                path,
                limit,
                max,
                actual,
            }) => {
                assert_eq!(path, "bomb");
                assert_eq!(limit, "maxImageDimension");
                assert_eq!((max, actual), (12_000, 100_000));
            }
            other => panic!("{other:?}"),
        }
        // 10 000 × 10 000 passes the side limit but not the area limit.
        match store.add(
            "wide",
            &png_claiming(10_000, 10_000),
            &ImageLimits::default(),
        ) {
            Err(Error::Limit { limit, actual, .. }) => {
                assert_eq!(limit, "maxImagePixels");
                assert_eq!(actual, 100_000_000);
            }
            other => panic!("{other:?}"),
        }
        // Refused without decoding (a 40 GB buffer would take far longer).
        assert!(start.elapsed().as_secs_f64() < 1.0);
        // A claim within limits still fails cleanly on the missing data.
        match store.add("short", &png_claiming(100, 100), &ImageLimits::default()) {
            Err(Error::Image { .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn encoded_size_is_limited() {
        let mut store = ImageStore::new();
        let png = encode_rgba(8, 8, |_, _| [1, 2, 3, 255], "png");
        let limits = ImageLimits {
            max_bytes: png.len() - 1,
            ..ImageLimits::default()
        };
        match store.add("big", &png, &limits) {
            Err(Error::Limit { limit, .. }) => assert_eq!(limit, "maxImageBytes"),
            other => panic!("{other:?}"),
        }
        let limits = ImageLimits {
            max_pixels: 63,
            ..ImageLimits::default()
        };
        assert!(matches!(
            store.add("big", &png, &limits),
            Err(Error::Limit { .. })
        ));
    }

    #[test]
    fn sin_pi_matches_libm() {
        let mut x = -3.0f64;
        while x <= 3.0 {
            let ours = sin_pi(x);
            // libm's argument x·π is itself rounded (~4e-16 · 3π), ours is not.
            let libm = (x * std::f64::consts::PI).sin();
            assert!((ours - libm).abs() < 5e-15, "x={x}: {ours} vs {libm}");
            x += 0.001_953_125; // 1/512
        }
        assert_eq!(lanczos3(0.0), 1.0);
        assert_eq!(lanczos3(3.0), 0.0);
        assert!(lanczos3(1.0).abs() < 1e-15);
    }

    /// A deterministic premultiplied test image with detail and alpha.
    pub(crate) fn pattern(width: u32, height: u32) -> Pixmap {
        let mut data = Vec::with_capacity((width * height * 4) as usize);
        for y in 0..height {
            for x in 0..width {
                let r = ((x * 7 + y * 3) % 256) as u8;
                let g = ((x * y) % 256) as u8;
                let b = (((x ^ y) * 5) % 256) as u8;
                let a = if (x / 10 + y / 10) % 3 == 0 {
                    255
                } else {
                    ((x + y) * 11 % 256) as u8
                };
                data.extend_from_slice(&[r, g, b, a]);
            }
        }
        premultiply_in_place(&mut data);
        Pixmap::from_vec(data, IntSize::from_wh(width, height).unwrap()).unwrap()
    }

    /// The resize cases pinned by hash: (source rect, width, height).
    pub(crate) const RESIZE_CASES: [(Rect, u32, u32); 4] = [
        (Rect::new(3.5, 2.25, 80.0, 50.5), 37, 23), // Lanczos3 down, fractional crop
        (Rect::new(10.0, 10.0, 20.0, 15.0), 83, 61), // Catmull-Rom up
        (Rect::new(0.0, 0.0, 97.0, 61.0), 150, 20), // mixed: Lanczos3
        (Rect::new(0.0, 0.0, 97.0, 61.0), 9, 7),    // strong down
    ];

    /// xxh3-64 of each case's pixels. Any platform or target (x86_64,
    /// aarch64, wasm32) must match: the resampler is integer arithmetic.
    const RESIZE_HASHES: [u64; 4] = [
        0xcef9_dd56_3467_4a9c,
        0xfe5e_7c81_7772_3c48,
        0x6418_1816_c6d6_3d50,
        0x3564_466b_0492_0a57,
    ];

    #[test]
    fn resize_is_deterministic() {
        let src = pattern(97, 61);
        let mut hashes = Vec::new();
        for (source, w, h) in RESIZE_CASES {
            let a = resample("t", &src, source, w, h).unwrap();
            let b = resample("t", &src, source, w, h).unwrap();
            assert_eq!(a.data(), b.data());
            assert_eq!((a.width(), a.height()), (w, h));
            // Every pixel is valid premultiplied colour.
            assert!(a
                .data()
                .chunks_exact(4)
                .all(|p| p[0] <= p[3] && p[1] <= p[3] && p[2] <= p[3]));
            hashes.push(xxhash_rust::xxh3::xxh3_64(a.data()));
        }
        assert_eq!(hashes, RESIZE_HASHES);
    }

    #[test]
    fn resize_through_store_is_cached() {
        let png = encode_rgba(30, 20, |x, y| [x as u8 * 8, y as u8 * 12, 90, 255], "png");
        let mut store = ImageStore::new();
        store.add("p", &png, &ImageLimits::default()).unwrap();
        let source = Rect::new(2.0, 1.0, 25.0, 17.0);
        let a = store.resized("p", source, 12, 8).unwrap();
        let b = store.resized("p", source, 12, 8).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(store.cache_bytes(), 12 * 8 * 4);
        let direct = resample("p", store.get("p").unwrap().pixmap(), source, 12, 8).unwrap();
        assert_eq!(a.data(), direct.data());
        // The full image at its own size is the stored pixmap itself.
        let full = store
            .resized("p", Rect::new(0.0, 0.0, 30.0, 20.0), 30, 20)
            .unwrap();
        assert_eq!(full.data(), store.get("p").unwrap().pixmap().data());
        // Solid colour stays exact through the filters.
        let flat = encode_rgba(10, 10, |_, _| [10, 200, 30, 255], "png");
        store.add("flat", &flat, &ImageLimits::default()).unwrap();
        for (w, h) in [(3, 3), (27, 5), (40, 40)] {
            let r = store
                .resized("flat", Rect::new(0.0, 0.0, 10.0, 10.0), w, h)
                .unwrap();
            assert!(r.data().chunks_exact(4).all(|p| p == [10, 200, 30, 255]));
        }
    }

    #[test]
    fn resize_errors() {
        let png = encode_rgba(4, 4, |_, _| [1, 2, 3, 255], "png");
        let mut store = ImageStore::new();
        store.add("p", &png, &ImageLimits::default()).unwrap();
        let r = Rect::new(0.0, 0.0, 4.0, 4.0);
        assert!(matches!(
            store.resized("nope", r, 2, 2),
            Err(Error::Image { .. })
        ));
        assert!(matches!(
            store.resized("p", r, 0, 2),
            Err(Error::Image { .. })
        ));
        assert!(matches!(
            store.resized("p", r, 2, 20_000),
            Err(Error::Image { .. })
        ));
        let outside = Rect::new(10.0, 10.0, 4.0, 4.0);
        assert!(matches!(
            store.resized("p", outside, 2, 2),
            Err(Error::Image { .. })
        ));
        let nan = Rect::new(f32::NAN, 0.0, 4.0, 4.0);
        assert!(matches!(
            store.resized("p", nan, 2, 2),
            Err(Error::Image { .. })
        ));
    }

    #[test]
    fn cache_stays_within_budget() {
        let png = encode_rgba(16, 16, |x, y| [x as u8, y as u8, 0, 255], "png");
        let mut store = ImageStore::with_cache_budget(10_000);
        store.add("p", &png, &ImageLimits::default()).unwrap();
        let r = Rect::new(0.0, 0.0, 16.0, 16.0);
        for size in 20..40 {
            store.resized("p", r, size, size).unwrap();
            assert!(store.cache_bytes() <= 10_000);
        }
        // 39² · 4 = 6084 bytes: the most recent fits, older ones went.
        assert_eq!(store.cache_bytes(), 39 * 39 * 4);
        // Larger than the whole budget: served but not cached.
        store.resized("p", r, 60, 60).unwrap();
        assert_eq!(store.cache_bytes(), 39 * 39 * 4);
    }
}
