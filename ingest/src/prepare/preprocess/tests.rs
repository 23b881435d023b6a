//! Unit tests of `preprocess`: kept beside it, apart, so that the module's
//! own file holds only its code.

use super::*;

/// A page of horizontal "text lines" (dark bars with gaps), optionally
/// rotated by `deg`.
fn lines_page(deg: f32) -> Raster {
    let mut r = Raster::blank(1200, 1600);
    for line in 0..20 {
        let y0 = 200 + line * 60;
        for y in y0..y0 + 24 {
            for x in 150..1050 {
                if (x / 30) % 4 != 3 {
                    r.pixels[y * 1200 + x] = 20;
                }
            }
        }
    }
    if deg != 0.0 {
        // Rotating by -deg makes lines slope by +deg.
        r = rotate(&r, -deg.to_radians(), 255);
    }
    r
}

#[test]
fn skew_is_measured_and_undone() {
    for deg in [-2.0f32, -0.7, 1.3, 2.4] {
        let r = lines_page(deg);
        let est = estimate_skew(&r, ink_threshold(&r)).to_degrees();
        assert!((est - deg).abs() < 0.1, "skew {deg}: estimated {est}");
    }
    let r = lines_page(0.0);
    assert!(estimate_skew(&r, ink_threshold(&r)).to_degrees().abs() < 0.05);
}

/// Aged paper: grain of about ±30 grey levels on paper of 215, under
/// faded print of 135 (as the renderer's old paper, where whole pages
/// were read as empty: there the clipped, grainy paper put the ink
/// threshold inside the print). The grain is measured and smoothed, and
/// the page's ink threshold then takes the print and leaves the paper.
#[test]
fn grainy_paper_is_smoothed_so_faded_print_is_ink() {
    let page = || {
        let mut r = lines_page(0.0);
        let mut seed = 12345u32;
        for p in r.pixels.iter_mut() {
            // Three uniform draws: near-normal grain, σ ≈ 17.
            let mut noise = -45;
            for _ in 0..3 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                noise += ((seed >> 16) % 31) as i32;
            }
            let base = if *p < 128 { 135 } else { 215 };
            *p = (base + noise).clamp(0, 255) as u8;
        }
        PageImage {
            raster: r,
            dpi: Some(300.0),
        }
    };
    let print = lines_page(0.0);
    let share = |r: &Raster, threshold: u8, of_print: bool| {
        let (mut inked, mut n) = (0, 0);
        for (p, t) in r.pixels.iter().zip(&print.pixels) {
            if (*t < 128) == of_print {
                n += 1;
                inked += usize::from(*p <= threshold);
            }
        }
        inked as f32 / n as f32
    };
    let p = prepare(page(), &Preprocess::default());
    assert!(
        p.report.grain > GRAIN_ABOVE && p.report.smoothed,
        "{:?}",
        p.report
    );
    let t = ink_threshold(&p.raster);
    let (on_print, on_paper) = (share(&p.raster, t, true), share(&p.raster, t, false));
    assert!(
        on_print > 0.9 && on_paper < 0.01,
        "{t}: {on_print} {on_paper}"
    );
}

#[test]
fn specks_go_and_strokes_stay() {
    let mut r = lines_page(0.0);
    for i in 0..300 {
        let (x, y) = (20 + (i % 50) * 20, 20 + (i / 50) * 25);
        for dy in 0..3 {
            for dx in 0..3 {
                r.pixels[(y + dy) * 1200 + x + dx] = 40;
            }
        }
    }
    let ink_before = r.pixels.iter().filter(|p| **p < 128).count();
    let cfg = Preprocess {
        smooth: Switch::Off,
        ..Preprocess::default()
    };
    let p = prepare(
        PageImage {
            raster: r,
            dpi: Some(300.0),
        },
        &cfg,
    );
    assert_eq!(p.report.specks, 300);
    assert!(p.report.despeckled, "{:?}", p.report);
    let ink_after = p.raster.pixels.iter().filter(|p| **p < 128).count();
    assert_eq!(
        ink_before - ink_after,
        300 * 9,
        "exactly the specks are removed"
    );
}

#[test]
fn clean_page_is_only_smoothed() {
    let r = lines_page(0.0);
    let page = || PageImage {
        raster: r.clone(),
        dpi: Some(300.0),
    };
    let p = prepare(page(), &Preprocess::default());
    assert!(
        !p.report.despeckled && !p.report.deskewed && !p.report.flattened,
        "{:?}",
        p.report
    );
    assert!(
        p.report.smoothed,
        "a crisp page is smoothed: {:?}",
        p.report
    );
    assert_ne!(p.raster, r);
    let unsmoothed = Preprocess {
        smooth: Switch::Off,
        ..Preprocess::default()
    };
    assert_eq!(
        prepare(page(), &unsmoothed).raster,
        r,
        "nothing else touches a clean page"
    );
}

#[test]
fn soft_pages_are_not_smoothed_again_unless_grainy() {
    // As a worn scan: blurred, grey paper, grain of ±`grain` levels.
    let worn = |blur: f32, grain: u32| {
        let mut r = lines_page(0.0);
        gaussian_blur(&mut r, blur);
        let mut seed = 12345u32;
        for p in r.pixels.iter_mut() {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let g = ((seed >> 16) % (2 * grain + 1)) as i32 - grain as i32;
            *p = (*p as i32 * 225 / 255 + g).clamp(0, 255) as u8;
        }
        PageImage {
            raster: r,
            dpi: Some(300.0),
        }
    };
    let p = prepare(worn(2.0, 6), &Preprocess::default());
    assert!(!p.report.smoothed, "{:?}", p.report);
    // Aged paper's grain is smoothed away even so.
    let p = prepare(worn(1.1, 30), &Preprocess::default());
    assert!(
        p.report.smoothed && p.report.grain > GRAIN_ABOVE,
        "{:?}",
        p.report
    );
}

#[test]
fn boxes_map_back_through_scale_and_rotation() {
    let t = Transform {
        scale: 2.0,
        angle: 0.0,
        width: 200,
        height: 200,
        orig_width: 100,
        orig_height: 100,
        page: None,
    };
    assert_eq!(
        t.to_original(BBox([20, 40, 60, 80])),
        BBox([10, 20, 30, 40])
    );
    let t = Transform {
        angle: 0.02,
        scale: 1.0,
        ..t
    };
    let b = t.to_original(BBox([90, 90, 110, 110]));
    assert!(
        b.x0() >= 87 && b.x1() <= 113 && b.y0() >= 87 && b.y1() <= 113,
        "{b:?}"
    );
}

#[test]
fn low_resolution_is_scaled_up() {
    let p = prepare(
        PageImage {
            raster: Raster::blank(620, 877),
            dpi: Some(75.0),
        },
        &Preprocess::default(),
    );
    assert_eq!(p.raster.width, 2480);
    assert!((p.dpi - 300.0).abs() < 1.0);
}
