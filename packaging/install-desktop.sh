#!/bin/sh
# Install the bundled thrudesk (built by `make bundle`) so that it starts from the desktop's menu:
# the program folder, a `thrudesk` command, the menu entry, the AppStream metainfo and the icons.
#
#   packaging/install-desktop.sh                       for you alone, under ~/.local
#   sudo packaging/install-desktop.sh --prefix /usr/local     for every user of the machine
#   packaging/install-desktop.sh --uninstall           takes it all away again
#
# Options: --prefix DIR (default ~/.local), --bundle DIR (default dist/thrudesk beside packaging/).
set -eu

app_id=io.thrudesk.Thrudesk
here=$(cd "$(dirname "$0")" && pwd)
prefix="${HOME}/.local"
bundle="${here}/../dist/thrudesk"
action=install

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=$2; shift 2 ;;
        --bundle) bundle=$2; shift 2 ;;
        --uninstall) action=uninstall; shift ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-desktop.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

program_dir="${prefix}/lib/thrudesk"
command_link="${prefix}/bin/thrudesk"
applications="${prefix}/share/applications"
metainfo="${prefix}/share/metainfo"
icons="${prefix}/share/icons/hicolor"

refresh_caches() {
    # The menus notice the entry without these too, only later; the tools are not everywhere.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "${icons}/index.theme" ]; then
        gtk-update-icon-cache -q -t "$icons" || true
    fi
}

if [ "$action" = uninstall ]; then
    rm -rf "$program_dir"
    rm -f "$command_link" "${applications}/${app_id}.desktop" "${metainfo}/${app_id}.metainfo.xml"
    rm -f "${icons}"/*/apps/"${app_id}".png "${icons}/scalable/apps/${app_id}.svg"
    refresh_caches
    echo "thrudesk removed from ${prefix} (your store, logs and settings are kept)"
    exit 0
fi

if [ ! -x "${bundle}/thrudesk" ]; then
    echo "install-desktop.sh: no program in ${bundle}: run make bundle first" >&2
    exit 1
fi

rm -rf "$program_dir"
mkdir -p "${prefix}/lib" "${prefix}/bin" "$applications" "$metainfo" "${icons}/scalable/apps"
cp -R "$bundle" "$program_dir"
ln -sf "${program_dir}/thrudesk" "$command_link"

# The menu entry starts the program by its full path: ~/.local/bin is not on the PATH of every
# desktop session.
sed "s|^Exec=thrudesk\$|Exec=\"${command_link}\"|" "${here}/${app_id}.desktop" \
    > "${applications}/${app_id}.desktop"
cp "${here}/${app_id}.metainfo.xml" "${metainfo}/"
for png in "${here}"/icons/hicolor/*/apps/"${app_id}".png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    mkdir -p "${icons}/${size}/apps"
    cp "$png" "${icons}/${size}/apps/"
done
cp "${here}/icons/${app_id}.svg" "${icons}/scalable/apps/"
refresh_caches

echo "thrudesk installed in ${program_dir}; start it from the menu or with ${command_link}"
