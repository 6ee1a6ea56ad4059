/**
 * ep-stats: statistics for online controlled experiments (A/B tests).
 *
 * @packageDocumentation
 */
