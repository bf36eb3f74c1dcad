# fake-browser-env.sh: source it in a shell test to make the browser stand-in
# (tests/fake/fake-browser.c) the default handler of http and https in a throw-away XDG
# directory, as tests/lib/od-test-browser.c does for C tests. No real browser can be chosen.
#
#   . "$OD_SOURCE_ROOT/tests/lib/fake-browser-env.sh"
#   od_fake_browser_env DIR [FAKE_BROWSER]
#
# FAKE_BROWSER defaults to $OD_BUILD_ROOT/tests/lib/fake-browser. Exports XDG_DATA_HOME,
# XDG_DATA_DIRS, XDG_CONFIG_HOME, XDG_CONFIG_DIRS, GSETTINGS_SCHEMA_DIR (the system's) and
# OD_FAKE_BROWSER_LOG (DIR/browser.log: every address the stand-in visits, codes replaced by
# "[code]").

od_fake_browser_env() {
  _od_dir=$1
  _od_browser=${2:-${OD_BUILD_ROOT:?OD_BUILD_ROOT is not set}/tests/lib/fake-browser}

  case $_od_browser in
    /*) ;;
    *) echo "od_fake_browser_env: $_od_browser is not an absolute path" >&2; return 1 ;;
  esac
  # Exec= has its own quoting rules: keep to paths that need none.
  case $_od_browser in
    *[!A-Za-z0-9/._+-]*) echo "od_fake_browser_env: $_od_browser needs quoting" >&2; return 1 ;;
  esac
  [ -x "$_od_browser" ] || { echo "od_fake_browser_env: no $_od_browser" >&2; return 1; }

  mkdir -p "$_od_dir/data/applications" "$_od_dir/config" "$_od_dir/config-dirs" || return 1
  cat >"$_od_dir/data/applications/od-fake-browser.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Fake Browser
Exec=$_od_browser %u
NoDisplay=true
MimeType=x-scheme-handler/http;x-scheme-handler/https;
DESKTOP
  cat >"$_od_dir/config/mimeapps.list" <<MIMEAPPS
[Default Applications]
x-scheme-handler/http=od-fake-browser.desktop
x-scheme-handler/https=od-fake-browser.desktop
MIMEAPPS

  # The system's GSettings schemas stay visible (every SoupSession's proxy resolver reads
  # them), its applications do not: their directory joins GSETTINGS_SCHEMA_DIR.
  _od_ifs=$IFS; IFS=:
  for _od_d in ${XDG_DATA_DIRS:-/usr/local/share:/usr/share}; do
    if [ -f "$_od_d/glib-2.0/schemas/gschemas.compiled" ]; then
      GSETTINGS_SCHEMA_DIR=${GSETTINGS_SCHEMA_DIR:+$GSETTINGS_SCHEMA_DIR:}$_od_d/glib-2.0/schemas
      export GSETTINGS_SCHEMA_DIR
      break
    fi
  done
  IFS=$_od_ifs

  # The system's MIME database stays visible (GdkPixbuf tells an SVG icon by it).
  for _od_sys in /usr/local/share /usr/share; do
    if [ -f "$_od_sys/mime/mime.cache" ]; then
      [ -e "$_od_dir/data/mime" ] || ln -s "$_od_sys/mime" "$_od_dir/data/mime"
      break
    fi
  done

  XDG_DATA_HOME=$_od_dir/data
  XDG_DATA_DIRS=$_od_dir/data
  XDG_CONFIG_HOME=$_od_dir/config
  XDG_CONFIG_DIRS=$_od_dir/config-dirs
  OD_FAKE_BROWSER_LOG=$_od_dir/browser.log
  export XDG_DATA_HOME XDG_DATA_DIRS XDG_CONFIG_HOME XDG_CONFIG_DIRS OD_FAKE_BROWSER_LOG
  unset GTK_USE_PORTAL
}
