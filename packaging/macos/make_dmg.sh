#!/usr/bin/env bash
# Turn dist/pos-app.app (from `python packaging/build.py`) into dist/pos-app-<version>-macos-<arch>.dmg.
#
#   bash packaging/macos/make_dmg.sh [path/to/pos-app.app]
#
# Signing and notarisation happen ONLY when their secrets are in the environment; without them
# the .dmg is still built (the app keeps PyInstaller's ad-hoc signature: fine for testing,
# Gatekeeper will warn on other Macs) and the script says so.
#
#   MACOS_CODESIGN_IDENTITY      "Developer ID Application: Name (TEAMID)"  -> sign app + dmg
#   MACOS_CERTIFICATE            base64 of the .p12 holding that identity  } imported into a
#   MACOS_CERTIFICATE_PASSWORD   its password                               } throwaway keychain
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD (app-specific password)     -> notarise + staple
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
APP="${1:-dist/pos-app.app}"
HERE="packaging/macos"
[ -d "$APP" ] || { echo "make_dmg: $APP not found; run python packaging/build.py first" >&2; exit 1; }

plist="$APP/Contents/Info.plist"
VERSION="$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$plist")"
NAME="$(/usr/libexec/PlistBuddy -c 'Print :CFBundleDisplayName' "$plist")"
EXE="$APP/Contents/MacOS/$(/usr/libexec/PlistBuddy -c 'Print :CFBundleExecutable' "$plist")"
ARCH="$(lipo -archs "$EXE" | tr ' ' '-')"
DMG="dist/pos-app-${VERSION}-macos-${ARCH}.dmg"
WORK="$(mktemp -d)"
KEYCHAIN=""
cleanup() {
    if [ -n "$KEYCHAIN" ]; then
        security delete-keychain "$KEYCHAIN" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

SIGN=""
if [ -n "${MACOS_CODESIGN_IDENTITY:-}" ]; then
    SIGN="$MACOS_CODESIGN_IDENTITY"
    if [ -n "${MACOS_CERTIFICATE:-}" ]; then
        KEYCHAIN="$WORK/signing.keychain-db"
        KC_PASS="$(uuidgen)"
        echo "$MACOS_CERTIFICATE" | base64 --decode > "$WORK/cert.p12"
        security create-keychain -p "$KC_PASS" "$KEYCHAIN"
        security set-keychain-settings -lut 3600 "$KEYCHAIN"
        security unlock-keychain -p "$KC_PASS" "$KEYCHAIN"
        security import "$WORK/cert.p12" -k "$KEYCHAIN" -P "${MACOS_CERTIFICATE_PASSWORD:-}" \
            -T /usr/bin/codesign >/dev/null
        security set-key-partition-list -S apple-tool:,apple: -s -k "$KC_PASS" "$KEYCHAIN" >/dev/null
        # shellcheck disable=SC2046
        security list-keychains -d user -s "$KEYCHAIN" $(security list-keychains -d user | tr -d '"')
        rm -f "$WORK/cert.p12"
    fi
    echo "make_dmg: signing $APP as \"$SIGN\" (hardened runtime)"
    sign() {
        codesign --force --timestamp --options runtime \
            --entitlements "$HERE/entitlements.plist" --sign "$SIGN" "$@"
    }
    # Inside out: every Mach-O file first, then the bundle itself.
    while IFS= read -r -d '' f; do
        if file -b "$f" | grep -q 'Mach-O'; then sign "$f"; fi
    done < <(find "$APP/Contents" -type f -print0)
    sign "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
else
    echo "make_dmg: MACOS_CODESIGN_IDENTITY not set: NOT signing or notarising" \
         "(the app keeps its ad-hoc signature)"
fi

echo "make_dmg: building $DMG"
mkdir -p "$WORK/dmg"
ditto "$APP" "$WORK/dmg/$(basename "$APP")"
ln -s /Applications "$WORK/dmg/Applications"
rm -f "$DMG"
hdiutil create -volname "$NAME $VERSION" -srcfolder "$WORK/dmg" -fs HFS+ -format UDZO \
    -imagekey zlib-level=9 -ov "$DMG" >/dev/null
if [ -n "$SIGN" ]; then
    codesign --force --timestamp --sign "$SIGN" "$DMG"
fi

if [ -n "$SIGN" ] && [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] \
        && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    echo "make_dmg: notarising $DMG"
    xcrun notarytool submit "$DMG" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
        --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$DMG"
    xcrun stapler validate "$DMG"
elif [ -n "$SIGN" ]; then
    echo "make_dmg: APPLE_ID / APPLE_TEAM_ID / APPLE_APP_PASSWORD not all set: signed, NOT notarised"
fi
hdiutil verify "$DMG" >/dev/null
echo "make_dmg: $DMG ($(du -h "$DMG" | cut -f1))"
