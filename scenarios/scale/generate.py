#!/usr/bin/env python3
"""Writes the internet-scale scenarios of this folder (docs/models/population.md).

    scenarios/scale/generate.py            # rewrites internet-{10k,100k,1m,10m}.yaml

The four files differ only in `traffic.population.sites`. Each holds:

- 100 client regions, one per metropolitan area below (coordinates rounded
  to a tenth of a degree), each with 1% of the users (an assumption: no
  per-metro share of web users is used) and a UTC offset of its longitude
  / 15 h rounded to the hour;
- 5 CDNs (the five largest of the Web Almanac 2025 CDN chapter) with 300
  PoPs each, 3 in every metro; Cloudflare's proxy consumes a global config
  channel;
- 3 clouds with 30 regions each and 20 services in every region (services
  1 to 19 call service 0, as regional services call a region's identity or
  metadata service);
- 4 DNS providers (the four largest of the Alexa top-100K survey);
- a generated population in 60 dependency classes: CDN (5 named or none) x
  authoritative DNS (4 named or elsewhere) x origin (in one of the clouds, or
  elsewhere);
- a diurnal curve, a global bad push at +1h reverted at +3h, and one cloud's
  routes withdrawn from one region from +8h to +11h.

The shares of the mix come from ../shared/reference/dependencies.yaml
(figures cited next to each constant below). Everything written here that
the reference does not give is marked as an assumption.
"""
import pathlib

# (name, latitude, longitude): the 100 metros the users are in.
METROS = [
    ("tokyo", 35.7, 139.7), ("delhi", 28.6, 77.2), ("shanghai", 31.2, 121.5), ("sao-paulo", -23.6, -46.6),
    ("mexico-city", 19.4, -99.1), ("cairo", 30.0, 31.2), ("mumbai", 19.1, 72.9), ("beijing", 39.9, 116.4),
    ("dhaka", 23.8, 90.4), ("osaka", 34.7, 135.5), ("new-york", 40.7, -74.0), ("karachi", 24.9, 67.0),
    ("buenos-aires", -34.6, -58.4), ("chongqing", 29.6, 106.5), ("istanbul", 41.0, 29.0), ("kolkata", 22.6, 88.4),
    ("manila", 14.6, 121.0), ("lagos", 6.5, 3.4), ("rio-de-janeiro", -22.9, -43.2), ("tianjin", 39.1, 117.2),
    ("kinshasa", -4.3, 15.3), ("guangzhou", 23.1, 113.3), ("los-angeles", 34.1, -118.2), ("moscow", 55.8, 37.6),
    ("shenzhen", 22.5, 114.1), ("lahore", 31.5, 74.3), ("bangalore", 13.0, 77.6), ("paris", 48.9, 2.4),
    ("bogota", 4.7, -74.1), ("jakarta", -6.2, 106.8), ("chennai", 13.1, 80.3), ("lima", -12.0, -77.0),
    ("bangkok", 13.8, 100.5), ("seoul", 37.6, 127.0), ("nagoya", 35.2, 136.9), ("hyderabad", 17.4, 78.5),
    ("london", 51.5, -0.1), ("tehran", 35.7, 51.4), ("chicago", 41.9, -87.6), ("chengdu", 30.7, 104.1),
    ("nanjing", 32.1, 118.8), ("wuhan", 30.6, 114.3), ("ho-chi-minh-city", 10.8, 106.7), ("luanda", -8.8, 13.2),
    ("ahmedabad", 23.0, 72.6), ("kuala-lumpur", 3.1, 101.7), ("xian", 34.3, 108.9), ("hong-kong", 22.3, 114.2),
    ("dongguan", 23.0, 113.8), ("hangzhou", 30.3, 120.2), ("foshan", 23.0, 113.1), ("riyadh", 24.7, 46.7),
    ("santiago", -33.4, -70.7), ("baghdad", 33.3, 44.4), ("singapore", 1.4, 103.8), ("madrid", 40.4, -3.7),
    ("pune", 18.5, 73.9), ("houston", 29.8, -95.4), ("dallas", 32.8, -96.8), ("toronto", 43.7, -79.4),
    ("dar-es-salaam", -6.8, 39.3), ("miami", 25.8, -80.2), ("belo-horizonte", -19.9, -43.9), ("philadelphia", 40.0, -75.2),
    ("atlanta", 33.7, -84.4), ("khartoum", 15.5, 32.6), ("barcelona", 41.4, 2.2), ("johannesburg", -26.2, 28.0),
    ("saint-petersburg", 59.9, 30.3), ("washington", 38.9, -77.0), ("yangon", 16.9, 96.2), ("alexandria", 31.2, 29.9),
    ("guadalajara", 20.7, -103.3), ("ankara", 39.9, 32.9), ("abidjan", 5.4, -4.0), ("boston", 42.4, -71.1),
    ("sydney", -33.9, 151.2), ("melbourne", -37.8, 145.0), ("monterrey", 25.7, -100.3), ("berlin", 52.5, 13.4),
    ("nairobi", -1.3, 36.8), ("phoenix", 33.4, -112.1), ("san-francisco", 37.8, -122.4), ("seattle", 47.6, -122.3),
    ("montreal", 45.5, -73.6), ("rome", 41.9, 12.5), ("milan", 45.5, 9.2), ("casablanca", 33.6, -7.6),
    ("jeddah", 21.5, 39.2), ("dubai", 25.2, 55.3), ("taipei", 25.0, 121.6), ("kyiv", 50.5, 30.5),
    ("amsterdam", 52.4, 4.9), ("frankfurt", 50.1, 8.7), ("stockholm", 59.3, 18.1), ("warsaw", 52.2, 21.0),
    ("vienna", 48.2, 16.4), ("vancouver", 49.3, -123.1), ("auckland", -36.8, 174.8), ("accra", 5.6, -0.2),
]
assert len(METROS) == 100 and len({m[0] for m in METROS}) == 100

# Assumption: each cloud runs in 30 of the metros, every third one from its own start.
CLOUDS = {"aws": 0, "azure": 1, "gcp": 2}
CLOUD_SERVICES = 20

# Web Almanac 2025, CDN chapter (dependencies.yaml via docs/models/population.md):
# 49% of the top million sites use a CDN; shares of CDN-served pages below.
CDN_USE = 0.49
CDNS = {"cloudflare": 0.58, "google": 0.21, "cloudfront": 0.07, "fastly": 0.05, "akamai": 0.02}
# Alexa top-100K authoritative DNS, Aug 2017 (dependencies.yaml, dns_provider_concentration,
# chameth.com), narrowed to sites with no backup provider by 0.848 / 0.892 (Kashaf et al., IMC 2020).
DNS_NARROWING = 0.848 / 0.892
DNS = {"cloudflare-dns": 0.19, "route53": 0.10, "godaddy": 0.04, "dnspod": 0.03}
# Assumption: half of the sites run their origin in one of the three clouds
# (dependencies.yaml: share_of_websites_hosted_on_aws_gcp_azure: not_found).
IN_CLOUD = 0.5
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def utc_offset(longitude):
    return round(longitude / 15)


def mix():
    cdn_options = [(name, CDN_USE * share) for name, share in CDNS.items()]
    cdn_options.append((None, 1 - sum(s for _, s in cdn_options)))
    dns_options = [(name, share * DNS_NARROWING) for name, share in DNS.items()]
    dns_options.append((None, 1 - sum(s for _, s in dns_options)))
    classes = []
    for ci, (cdn, cdn_share) in enumerate(cdn_options):
        for di, (dns, dns_share) in enumerate(dns_options):
            for in_cloud in (True, False):
                deps, name = [], []
                if cdn:
                    deps.append(f"{{target: {cdn}.edge}}")
                    name.append(cdn)
                if dns:
                    # The median smallest TTL of a site's names is 60 s (docs/models/population.md).
                    deps.append(f"{{kind: cached, target: {dns}.ns, ttl: 60s}}")
                    name.append(dns)
                if in_cloud:
                    # Assumption: the cloud-hosted classes are dealt evenly over the clouds and their services.
                    k = len(classes) // 2
                    cloud = list(CLOUDS)[k % 3]
                    service = k % CLOUD_SERVICES
                    # Behind a CDN, a fifth of the requests miss its cache and reach the origin (assumption).
                    share = ", share: 20%" if cdn else ""
                    deps.append(f"{{target: {cloud}.s{service:02d}{share}}}")
                    name.append(f"{cloud}-s{service:02d}")
                else:
                    name.append("origin-elsewhere")
                # No CDN, DNS nor cloud of the scenario: the sites use only what is not modelled.
                share = cdn_share * dns_share * (IN_CLOUD if in_cloud else 1 - IN_CLOUD)
                classes.append(("+".join(name), share, deps))
    assert len(classes) == 60
    return classes


def scenario(size):
    out = [f"# Generated by scenarios/scale/generate.py: do not edit by hand; see that file for the sources",
           f"# and assumptions. {SIZES[size]:,} sites in 60 dependency classes, 5 CDNs x 300 PoPs,",
           "# 3 clouds x 30 regions x 20 services, 4 DNS providers, 100 client regions, 24 h at 10 s.",
           "scenario:",
           f"  name: internet-{size}",
           "  start: 2025-11-18T00:00:00Z",
           "  duration: 24h",
           "  seed: 1",
           "",
           "regions:"]
    out += [f"  - {{name: {n}, latitude: {lat}, longitude: {lon}}}" for n, lat, lon in METROS]
    out += ["", "providers:"]
    pops = ", ".join(f"{n}: 3" for n, _, _ in METROS)
    for i, cdn in enumerate(CDNS):
        out += [f"  - name: {cdn}", "    kind: cdn", "    services:"]
        anchor = "&pops " if i == 0 else ""
        instances = f"{anchor}{{{pops}}}" if i == 0 else "*pops"
        variants = ", variants: [{name: fl1, share: 40%}, {name: fl2, share: 60%}]" if cdn == "cloudflare" else ""
        out += [f"      - {{name: edge, capacity: 200k rps{variants},", f"         instances: {instances}}}"]
        if cdn == "cloudflare":
            out += ["    channels:",
                    "      - {name: features, consumers: edge, origin: san-francisco, size: 1MB, rollout: global}"]
    for cloud, first in CLOUDS.items():
        regions = ", ".join(f"{METROS[j][0]}: 2" for j in range(first, 90, 3))
        out += [f"  - name: {cloud}", "    kind: cloud", "    services:",
                f"      - {{name: s00, capacity: 2M rps, instances: &{cloud}-regions {{{regions}}}}}"]
        out += [f"      - {{name: s{k:02d}, capacity: 1M rps, instances: *{cloud}-regions, depends_on: [{{target: {cloud}.s00, share: 10%}}]}}"
                for k in range(1, CLOUD_SERVICES)]
    for dns in DNS:
        regions = ", ".join(f"{METROS[j][0]}: 2" for j in range(0, 100, 5))
        out += [f"  - name: {dns}", "    kind: dns", "    services:",
                f"      - {{name: ns, capacity: 10M rps, instances: {{{regions}}}}}"]
    out += ["", "traffic:", "  client_regions:"]
    out += [f"    - {{region: {n}, users: 1%, utc_offset: {utc_offset(lon)}h}}" for n, _, lon in METROS]
    out += ["  # Night trough about half the evening peak (Arbor, 40 North American ISPs:",
            "  # dependencies.yaml popularity.diurnal, implied peak to trough ~2:1).",
            "  diurnal: {peak_to_trough: 2, peak_hour: 21}",
            "  population:",
            f"    sites: {SIZES[size]}",
            "    exponent: 1.02  # Krashakov et al. (dependencies.yaml popularity.zipf_exponent)",
            "    total_rps: 40M rps  # assumption: about Cloudflare's published average of 25M+ rps, scaled up",
            "    mix:"]
    for name, share, deps in mix():
        out.append(f"      - {{name: {name}, share: {share:.15f}, depends_on: [{', '.join(deps)}]}}")
    out += ["",
            "faults:",
            "  # A global bad push: every Cloudflare PoP of the fl2 variant fails its requests.",
            "  - id: bad-push",
            "    kind: bad_config_push",
            "    channel: cloudflare.features",
            "    at: +1h",
            "    effects: [{variant: fl2, error_rate: 100%}]",
            "  # One cloud's routes withdrawn from one of its regions for three hours.",
            "  - id: aws-region-outage",
            "    kind: route_withdrawal",
            "    provider: aws",
            f"    regions: [{METROS[30][0]}]",
            "    at: +8h",
            "    duration: 3h",
            "",
            "operators:",
            "  - name: cloudflare-sre",
            "    actions:",
            "      - {at: +3h, do: revert, channel: cloudflare.features}",
            "",
            "output:",
            "  resolution: 10s",
            ""]
    return "\n".join(out)


def main():
    here = pathlib.Path(__file__).resolve().parent
    for size in SIZES:
        (here / f"internet-{size}.yaml").write_text(scenario(size))


if __name__ == "__main__":
    main()
