#!/bin/sh
# Installs what building, running and testing Outbox Doctor needs on Debian 12.
# Run as root; safe to run again.
set -eu

if [ "$(id -u)" != 0 ]; then
  echo "install-deps.sh: run as root (apt-get needs it)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Postfix asks how to configure itself; the tests run private instances, so: no configuration.
echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections

apt-get update -q
apt-get install -y -q --no-install-recommends \
  ca-certificates \
  dovecot-core \
  dovecot-imapd \
  dovecot-pop3d \
  gcc \
  gettext \
  git-email \
  glib-networking \
  gnutls-bin \
  libc6-dev \
  locales \
  libglib2.0-dev \
  libgnutls28-dev \
  libjson-glib-dev \
  libgmime-3.0-dev \
  meson \
  msmtp \
  neomutt \
  ninja-build \
  openssl \
  pkg-config \
  postfix \
  python3 \
  swaks \
  msmtp \
  libnet-ssleay-perl \
  libsoup-3.0-dev \
  librest-dev \
  libpsl-dev \
  libnetfilter-queue-dev \
  libsecret-1-dev \
  libsecret-tools \
  gnome-keyring \
  libgoa-1.0-dev \
  libedataserver1.2-dev \
  gnome-online-accounts \
  evolution-data-server \
  dbus \
  dbus-x11 \
  libgtk-4-dev \
  libadwaita-1-dev \
  adwaita-icon-theme \
  gtk-update-icon-cache \
  librsvg2-common \
  xvfb \
  xauth \
  xdotool \
  imagemagick \
  desktop-file-utils \
  appstream \
  libxml2-utils \
  dnsmasq-base \
  iptables \
  iproute2 \
  clang \
  llvm \
  libclang-rt-14-dev \
  valgrind
