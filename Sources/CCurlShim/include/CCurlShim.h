#ifndef FCSYNTH_CCURLSHIM_H
#define FCSYNTH_CCURLSHIM_H

#include <curl/curl.h>
#include <sys/types.h>

/* Swift cannot call C variadic functions; these wrap the ones fcsynth uses
   with one fixed argument type each. */

typedef size_t (*fcsynth_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);

CURLcode fcsynth_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode fcsynth_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode fcsynth_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value);
CURLcode fcsynth_easy_setopt_data_callback(CURL *handle, CURLoption option, fcsynth_curl_data_callback callback);

CURLcode fcsynth_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode fcsynth_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode fcsynth_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);

CURLMcode fcsynth_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
CURLMcode fcsynth_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value);
CURLMcode fcsynth_multi_setopt_socket_callback(CURLM *multi, curl_socket_callback callback);
CURLMcode fcsynth_multi_setopt_timer_callback(CURLM *multi, curl_multi_timer_callback callback);

#endif
